//! Making namespaces as `ip netns add` and `ip netns attach` do: a file in /run/netns (a
//! shared mount point) with the namespace bind-mounted on it.

use super::*;

impl Namespaces {
    /// Create namespace `name` exactly as `ip netns add` does, and keep its fd.
    pub fn add(&mut self, name: &str) -> Result<()> {
        let path = self.mount_point(name)?;
        match self.create_into(&path) {
            Ok((fd, sock)) => {
                self.fds.insert(name.to_owned(), fd);
                self.routes.insert(Ns::Named(name.to_owned()), sock);
                self.nsids.clear();
                Ok(())
            }
            Err(e) => {
                // Leave no mount point behind, as iproute2 does.
                let _ = umount2(&path, MntFlags::MNT_DETACH);
                let _ = unlink(&path);
                Err(e)
            }
        }
    }

    /// Make /run/netns (if missing) and make it a shared mount point, as `ip netns add` does.
    fn share_dir(&mut self) -> Result<()> {
        match mkdir(NETNS_DIR, Mode::from_bits_truncate(0o755)) {
            Ok(()) | Err(Errno::EEXIST) => {}
            Err(e) => return Err(NetError::sys(format!("mkdir {NETNS_DIR}"), e)),
        }
        let dir = open(
            NETNS_DIR,
            OFlag::O_RDONLY | OFlag::O_DIRECTORY | OFlag::O_CLOEXEC,
            Mode::empty(),
        )
        .map_err(|e| NetError::sys(format!("open {NETNS_DIR}"), e))?;
        // Serialize with concurrent `ip netns add` while the directory is made a mount point.
        let _lock = Flock::lock(dir, FlockArg::LockExclusive)
            .map_err(|(_, e)| NetError::sys(format!("flock {NETNS_DIR}"), e))?;
        share_netns_dir()?;
        self.dir_shared = true;
        Ok(())
    }

    /// Create the empty file /run/netns/NAME to mount a namespace on, making /run/netns a
    /// shared mount first (once a run, or again if the directory went away).
    fn mount_point(&mut self, name: &str) -> Result<PathBuf> {
        check_name(name)?;
        if !self.dir_shared {
            self.share_dir()?;
        }
        let path = netns_path(name);
        let create = || {
            open(
                &path,
                OFlag::O_RDONLY | OFlag::O_CREAT | OFlag::O_EXCL | OFlag::O_CLOEXEC,
                Mode::empty(),
            )
        };
        let made = match create() {
            Err(Errno::ENOENT) => {
                self.share_dir()?;
                create()
            }
            other => other,
        };
        match made {
            Ok(_mount_point) => Ok(path),
            Err(Errno::EEXIST) => Err(NetError::NetnsExists {
                name: name.to_owned(),
            }),
            Err(e) => Err(NetError::sys(format!("create {}", path.display()), e)),
        }
    }

    /// Name the namespace of process `pid` as `ip netns attach NAME PID` does: bind-mount
    /// /proc/PID/ns/net on /run/netns/NAME, so the namespace outlives the process.
    pub fn attach(&mut self, name: &str, pid: u32) -> Result<()> {
        let source = pid_netns_path(pid);
        // Checked first, so a wrong pid leaves no mount point to clean up.
        let fd =
            open_ns(&source).map_err(|e| NetError::sys(format!("open {}", source.display()), e))?;
        let path = self.mount_point(name)?;
        let none: Option<&str> = None;
        match mount(Some(&source), &path, Some("none"), MsFlags::MS_BIND, none) {
            Ok(()) => {
                self.fds.insert(name.to_owned(), fd);
                self.nsids.clear();
                Ok(())
            }
            Err(e) => {
                let _ = unlink(&path);
                Err(NetError::sys(
                    format!("mount --bind {} {}", source.display(), path.display()),
                    e,
                ))
            }
        }
    }

    /// Unshare a new network namespace on this thread, bind-mount it on `path`, return its fd
    /// and a route socket opened inside it (while we are there: no second setns), and go back
    /// to root whatever happened.
    fn create_into(&self, path: &Path) -> Result<(OwnedFd, RouteSocket)> {
        unshare(CloneFlags::CLONE_NEWNET).map_err(|e| NetError::sys("unshare CLONE_NEWNET", e))?;
        let back = GoBack(self.root.as_fd());
        let none: Option<&str> = None;
        let made = mount(
            Some(THREAD_NETNS),
            path,
            Some("none"),
            MsFlags::MS_BIND,
            none,
        )
        .map_err(|e| NetError::sys(format!("mount --bind {THREAD_NETNS} {}", path.display()), e))
        .and_then(|()| {
            open_ns(Path::new(THREAD_NETNS))
                .map_err(|e| NetError::sys(format!("open {THREAD_NETNS}"), e))
        })
        .and_then(|fd| Ok((fd, RouteSocket::open()?)));
        back.now()?;
        made
    }
}

/// Make /run/netns a shared mount point, as iproute2 does, so that namespaces mounted there
/// are seen by every mount namespace that shares it.
fn share_netns_dir() -> Result<()> {
    let none: Option<&str> = None;
    let mut bound = false;
    loop {
        match mount(
            Some(""),
            NETNS_DIR,
            Some("none"),
            MsFlags::MS_SHARED | MsFlags::MS_REC,
            none,
        ) {
            Ok(()) => return Ok(()),
            // EINVAL: not a mount point yet. Make it one, in a peer group of its own.
            Err(Errno::EINVAL) if !bound => {
                mount(
                    Some(NETNS_DIR),
                    NETNS_DIR,
                    Some("none"),
                    MsFlags::MS_BIND | MsFlags::MS_REC,
                    none,
                )
                .map_err(|e| NetError::sys(format!("mount --bind {NETNS_DIR}"), e))?;
                mount(Some(""), NETNS_DIR, Some("none"), MsFlags::MS_PRIVATE, none)
                    .map_err(|e| NetError::sys(format!("mount --make-private {NETNS_DIR}"), e))?;
                bound = true;
            }
            Err(e) => {
                return Err(NetError::sys(
                    format!("mount --make-rshared {NETNS_DIR}"),
                    e,
                ))
            }
        }
    }
}
