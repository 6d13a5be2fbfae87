"""A throwaway PostgreSQL cluster on its own port, for runs that stop and start the database."""

import contextlib
import glob
import os
import shutil
import subprocess
import tempfile
import time


def postgres_bin_dir():
    """Return the directory of the newest installed PostgreSQL server binaries, or None."""
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))
    return os.path.dirname(candidates[-1]) if candidates else None


class Cluster:
    """A PostgreSQL cluster in a temporary directory, run as the `postgres` system user."""

    def __init__(self, port):
        self.port = port
        self.bin = postgres_bin_dir()
        if self.bin is None:
            raise RuntimeError("PostgreSQL server binaries are not installed")
        self.directory = tempfile.mkdtemp(prefix="kb-pg-")
        self.data = os.path.join(self.directory, "data")
        self.log = os.path.join(self.directory, "server.log")
        self.url = f"postgres://postgres@127.0.0.1:{port}/postgres"

    def _run(self, *args):
        command = [os.path.join(self.bin, args[0]), *args[1:]]
        if os.geteuid() == 0:  # the server refuses to run as root
            command = ["runuser", "-u", "postgres", "--", *command]
        return subprocess.run(command, check=True, capture_output=True, text=True)

    def init(self):
        """Create the cluster (trust authentication on loopback only)."""
        if os.geteuid() == 0:
            shutil.chown(self.directory, "postgres")
        self._run("initdb", "-D", self.data, "-A", "trust", "-U", "postgres", "--no-sync")
        return self

    def start(self):
        """Start the server and wait until it accepts connections."""
        options = f"-p {self.port} -k {self.directory} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._run("pg_ctl", "-D", self.data, "-o", options, "-l", self.log, "-w", "start")
        for _ in range(50):
            ready = subprocess.run(
                [os.path.join(self.bin, "pg_isready"), "-h", "127.0.0.1", "-p", str(self.port)],
                capture_output=True,
            )
            if ready.returncode == 0:
                return self
            time.sleep(0.2)
        raise RuntimeError(f"PostgreSQL on port {self.port} did not start; see {self.log}")

    def stop(self):
        """Stop the server at once (connections are cut, as in an outage)."""
        self._run("pg_ctl", "-D", self.data, "-m", "immediate", "-w", "stop")

    def destroy(self):
        """Stop the server if it runs and delete its files."""
        with contextlib.suppress(subprocess.CalledProcessError):
            self.stop()
        shutil.rmtree(self.directory, ignore_errors=True)


@contextlib.contextmanager
def temporary_cluster(port):
    """Yield a started throwaway cluster; remove it afterwards."""
    cluster = Cluster(port).init()
    try:
        yield cluster.start()
    finally:
        cluster.destroy()
