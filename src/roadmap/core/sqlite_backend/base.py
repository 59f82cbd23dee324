"""Django's SQLite backend with writers that queue instead of polling.

SQLite admits one writer at a time. A connection that finds the write lock taken sleeps in
SQLite's busy handler in growing steps (1, 2, 5, 10, 15, 20, 25 ms …) and tries again, so under
steady concurrent writes a short transaction often waits 20–50 ms for a lock that was free
after 5. Here each write transaction first takes an exclusive `flock` on a file beside the
database: the kernel hands it to the next waiter the moment it is released, so writers follow
one another without gaps. The lock is held from BEGIN to COMMIT or ROLLBACK of the outermost
atomic block (savepoints inside it take nothing more) and the kernel drops it if the process
dies. `BEGIN IMMEDIATE` and the busy timeout stay as they are, for programs that write to the
file without this queue (the sqlite3 shell, a migration run with another backend).

In-memory databases (the test suite's default) have a single connection and need no queue.
"""

from __future__ import annotations

import fcntl
import os

from django.db.backends.sqlite3 import base


class DatabaseWrapper(base.DatabaseWrapper):
    writer_queue_fd: int | None = None
    holds_writer_turn = False

    def _writer_queue_path(self) -> str | None:
        name = str(self.settings_dict["NAME"])
        if self.is_in_memory_db() or name.startswith("file:"):
            return None
        return f"{name}-writers"

    def get_new_connection(self, conn_params):
        connection = super().get_new_connection(conn_params)
        path = self._writer_queue_path()
        if path is not None:
            self.writer_queue_fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        return connection

    def _start_transaction_under_autocommit(self):
        if self.writer_queue_fd is not None:
            fcntl.flock(self.writer_queue_fd, fcntl.LOCK_EX)
            self.holds_writer_turn = True
        try:
            super()._start_transaction_under_autocommit()  # type: ignore[misc]  # private, not in django-stubs
        except BaseException:
            self._end_writer_turn()
            raise

    def _end_writer_turn(self) -> None:
        if self.holds_writer_turn and self.writer_queue_fd is not None:
            self.holds_writer_turn = False
            fcntl.flock(self.writer_queue_fd, fcntl.LOCK_UN)

    def _commit(self):
        try:
            return super()._commit()  # type: ignore[misc]  # private, not in django-stubs
        finally:
            self._end_writer_turn()

    def _rollback(self):
        try:
            return super()._rollback()  # type: ignore[misc]  # private, not in django-stubs
        finally:
            self._end_writer_turn()

    def _close(self):
        try:
            return super()._close()  # type: ignore[misc]  # private, not in django-stubs
        finally:
            self._end_writer_turn()
            if self.writer_queue_fd is not None:
                os.close(self.writer_queue_fd)
                self.writer_queue_fd = None
