#!/usr/bin/python3
"""A one-service inetd for the two BSD-line servers of extra.sh.

  inetd.py PORT PROGRAM ARGS...

Listens on 127.0.0.1:PORT only and, for each connection, forks and runs
PROGRAM with the connected socket as its standard input and output, as
inetd does (both netkit's in.ftpd and GNU inetutils' ftpd are written to be
started so: they read their own address from the socket for PASV, and bind
their passive sockets to it, so to 127.0.0.1). Standard error goes to
PORT.err in the current directory. Runs until SIGTERM.
"""

import os
import signal
import socket
import sys


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    port, argv = int(sys.argv[1]), sys.argv[2:]
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", port))
    listener.listen(16)
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # no zombies
    err = os.open("%d.err" % port, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    while True:
        conn, _ = listener.accept()
        if os.fork() == 0:
            listener.close()
            os.dup2(conn.fileno(), 0)
            os.dup2(conn.fileno(), 1)
            os.dup2(err, 2)
            os.execv(argv[0], argv)
        conn.close()


if __name__ == "__main__":
    main()
