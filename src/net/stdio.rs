//! The standard streams at the descriptor level, for redirections, pipelines and `$( )`.
//!
//! Builtins print through Rust's stdout and programs inherit descriptors 0, 1 and 2, so
//! pointing those descriptors elsewhere while a statement runs redirects both alike. Rust's
//! buffered stdout is flushed on each change, so no text lands on the wrong side of one.

use std::fs::File;
use std::io::{self, Read, Write};
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd, RawFd};
use std::thread::JoinHandle;

/// Descriptors pointed elsewhere; dropping this points them back.
#[derive(Default)]
pub struct Swapped {
    /// Each descriptor changed, with a copy of what it was (`None`: it was closed).
    saved: Vec<(RawFd, Option<OwnedFd>)>,
}

impl Swapped {
    /// Makes `fd` a copy of `to`, as `dup2`; the first change of `fd` keeps what it was.
    pub fn point(&mut self, fd: RawFd, to: RawFd) -> io::Result<()> {
        flush();
        if !self.saved.iter().any(|(f, _)| *f == fd) {
            // Above 2 and close-on-exec: programs started meanwhile must not inherit it.
            // SAFETY: fcntl on a plain integer; a new descriptor is owned by the OwnedFd.
            let copy = unsafe { libc::fcntl(fd, libc::F_DUPFD_CLOEXEC, 10) };
            let copy = (copy >= 0).then(|| unsafe { OwnedFd::from_raw_fd(copy) });
            self.saved.push((fd, copy));
        }
        // SAFETY: dup2 on plain integers.
        if unsafe { libc::dup2(to, fd) } < 0 {
            return Err(io::Error::last_os_error());
        }
        Ok(())
    }
}

impl Drop for Swapped {
    fn drop(&mut self) {
        flush();
        for (fd, copy) in self.saved.drain(..).rev() {
            // SAFETY: dup2 and close on plain integers; `copy` is ours.
            unsafe {
                match copy {
                    Some(copy) => libc::dup2(copy.as_raw_fd(), fd),
                    None => libc::close(fd),
                };
            }
        }
    }
}

/// Writes out what builtins printed so far.
pub fn flush() {
    let _ = io::stdout().flush();
    let _ = io::stderr().flush();
}

/// A pipe whose ends are closed on exec: only the descriptors 0-2 made from them are passed on.
pub fn pipe() -> io::Result<(OwnedFd, OwnedFd)> {
    nix::unistd::pipe2(nix::fcntl::OFlag::O_CLOEXEC).map_err(io::Error::from)
}

/// What is written to the read end of a pipe, read to the end on a thread so that the writer
/// never blocks on a full pipe.
pub struct Collector(JoinHandle<io::Result<Vec<u8>>>);

impl Collector {
    /// Starts reading `read` on a thread of its own.
    pub fn start(read: OwnedFd) -> Collector {
        Collector(std::thread::spawn(move || {
            let mut bytes = Vec::new();
            File::from(read).read_to_end(&mut bytes)?;
            Ok(bytes)
        }))
    }

    /// Everything written, once every write end is closed.
    pub fn finish(self) -> io::Result<Vec<u8>> {
        self.0
            .join()
            .unwrap_or_else(|_| Err(io::Error::other("the reading thread panicked")))
    }
}

/// A pipe fed `bytes` by a thread; returns its read end.
pub fn feed(bytes: Vec<u8>) -> io::Result<OwnedFd> {
    let (read, write) = pipe()?;
    std::thread::spawn(move || {
        no_sigpipe();
        // A reader that stops early is not an error: the rest is not wanted.
        let _ = File::from(write).write_all(&bytes);
    });
    Ok(read)
}

/// A builtin's way into a pipe read by a program: what it prints goes to the returned write
/// end, and a thread passes it on to `to`. When the reader goes away (`ping | head -1`) the
/// thread drops the rest, so the builtin never meets a broken pipe (SIGPIPE would end vsh, and
/// `println!` panics on EPIPE). The thread ends when every copy of the write end is closed.
pub fn relay(to: OwnedFd) -> io::Result<(OwnedFd, JoinHandle<()>)> {
    let (read, write) = pipe()?;
    let thread = std::thread::spawn(move || {
        no_sigpipe();
        let (mut from, mut to) = (File::from(read), Some(File::from(to)));
        let mut buf = [0u8; 8192];
        loop {
            let n = match from.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(_) => break,
            };
            if to.as_mut().is_some_and(|t| t.write_all(&buf[..n]).is_err()) {
                // Closing our end tells the reader's side nothing more comes.
                to = None;
            }
        }
    });
    Ok((write, thread))
}

/// Blocks SIGPIPE in this thread: a write to a closed pipe then fails with EPIPE, and the
/// signal, aimed at this thread alone, dies with it instead of ending vsh.
fn no_sigpipe() {
    use nix::sys::signal::{pthread_sigmask, SigSet, SigmaskHow, Signal};
    let mut set = SigSet::empty();
    set.add(Signal::SIGPIPE);
    let _ = pthread_sigmask(SigmaskHow::SIG_BLOCK, Some(&set), None);
}
