"""Which SQLite journal mode a run is written in: WAL on local disks, rollback journal on shared ones.

WAL keeps its index in shared memory (the ``-shm`` file), which needs locks that
NFS, SMB and other network filesystems do not give across machines; there a
reader on another machine can see a broken file. So a writer on such a
filesystem uses SQLite's rollback journal ("delete" mode), whose locks those
filesystems do give. The choice is the writer's ``journal_mode`` keyword, else
the LITEBOARD_JOURNAL_MODE environment variable, else "auto": the filesystem of
the run directory decides (read from /proc/self/mountinfo on Linux; elsewhere a
directory is taken to be local).
"""

import os
from pathlib import Path

ENV_VAR = "LITEBOARD_JOURNAL_MODE"
MODES = ("auto", "wal", "delete")
#: Filesystem types (as /proc/self/mountinfo names them) whose locks WAL cannot rely on.
NETWORK_FILESYSTEMS = frozenset({
    "nfs", "nfs4", "cifs", "smb3", "smbfs", "9p", "afs", "lustre", "gpfs", "beegfs", "ceph",
    "glusterfs", "ocfs2", "gfs2", "panfs", "orangefs", "pvfs2", "davfs", "ncpfs",
    "fuse.sshfs", "fuse.ceph", "fuse.glusterfs", "fuse.s3fs", "fuse.rclone", "fuse.juicefs",
    "fuse.gcsfuse", "fuse.goofys", "fuse.davfs2", "fuse.beegfs",
})
MOUNTINFO = "/proc/self/mountinfo"


def resolve(run_dir, journal_mode=None):
    """"wal" or "delete" for a run written in ``run_dir``: ``journal_mode`` if given, else
    LITEBOARD_JOURNAL_MODE, else by the directory's filesystem. ValueError names a bad choice."""
    if journal_mode is None:
        journal_mode, source = os.environ.get(ENV_VAR) or "auto", ENV_VAR
    else:
        source = "journal_mode"
    mode = journal_mode.lower() if isinstance(journal_mode, str) else journal_mode
    if mode not in MODES:
        raise ValueError(f"{source} must be one of {', '.join(MODES)}, got {journal_mode!r}")
    if mode == "auto":
        return "delete" if filesystem_type(run_dir) in NETWORK_FILESYSTEMS else "wal"
    return mode


def filesystem_type(path, mountinfo=None):
    """The type of the filesystem holding ``path`` ("ext4", "nfs4", ...), or None where it
    cannot be told (not Linux). ``mountinfo``: the text of /proc/self/mountinfo, read if None."""
    if mountinfo is None:
        try:
            mountinfo = Path(MOUNTINFO).read_text(encoding="utf-8", errors="replace")
        except OSError:
            return None
    target = _existing(Path(os.path.abspath(path)))
    best, best_type = None, None
    for line in mountinfo.splitlines():
        mount_point, fs_type = _mount(line)
        if mount_point is None:
            continue
        if (target == mount_point or mount_point == "/"
                or target.startswith(mount_point.rstrip("/") + "/")):
            if best is None or len(mount_point) >= len(best):  # later mounts hide earlier ones
                best, best_type = mount_point, fs_type
    return best_type


def _existing(path):
    """The path with symlinks resolved, through its nearest existing ancestor (a run
    directory need not exist yet)."""
    tail = []
    while not path.exists() and path.parent != path:
        tail.append(path.name)
        path = path.parent
    return str(path.resolve().joinpath(*reversed(tail)))


def _mount(line):
    """(mount point, filesystem type) of one mountinfo line, or (None, None)."""
    fields = line.split()
    try:
        dash = fields.index("-")
        return _unescape(fields[4]), fields[dash + 1]
    except (ValueError, IndexError):
        return None, None


def _unescape(field):
    """mountinfo writes space, tab, newline and backslash in octal (\\040 ...)."""
    for code, char in (("\\040", " "), ("\\011", "\t"), ("\\012", "\n"), ("\\134", "\\")):
        field = field.replace(code, char)
    return field
