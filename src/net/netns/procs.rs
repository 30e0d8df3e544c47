//! Which names and processes a namespace has: `ip netns identify` and `ip netns pids`.

use super::*;

/// The identity of a namespace file: (st_dev, st_ino), as iproute2 compares them.
pub(super) fn ns_id(path: &Path) -> Option<(u64, u64)> {
    nix::sys::stat::stat(path)
        .ok()
        .map(|st| (st.st_dev, st.st_ino))
}

/// The names in /run/netns whose namespace is the one at `path` (`ip netns identify`).
pub fn identify(path: &Path) -> Result<Vec<String>> {
    let Some(wanted) = ns_id(path) else {
        return Err(NetError::io(
            format!("stat {}", path.display()),
            &std::io::Error::last_os_error(),
        ));
    };
    Ok(netns_names()?
        .into_iter()
        .filter(|name| ns_id(&netns_path(name)) == Some(wanted))
        .collect())
}

/// The pids of the processes inside namespace `name`, in /proc order (`ip netns pids`).
pub fn pids(name: &str) -> Result<Vec<u32>> {
    check_name(name)?;
    let path = netns_path(name);
    let Some(wanted) = ns_id(&path) else {
        return Err(NetError::NoNetns {
            name: name.to_owned(),
        });
    };
    let proc = std::fs::read_dir("/proc").map_err(|e| NetError::io("opendir /proc", &e))?;
    let mut found = Vec::new();
    for entry in proc.flatten() {
        let Some(pid) = entry
            .file_name()
            .to_str()
            .and_then(|n| n.parse::<u32>().ok())
        else {
            continue;
        };
        // A process that exits meanwhile, or one we may not inspect, is skipped.
        if ns_id(&Path::new("/proc").join(pid.to_string()).join("ns/net")) == Some(wanted) {
            found.push(pid);
        }
    }
    Ok(found)
}

/// The namespace file of process `pid`.
pub fn pid_netns_path(pid: u32) -> PathBuf {
    Path::new("/proc").join(pid.to_string()).join("ns/net")
}
