"""Writing many rows at once, for imports of registers with hundreds of thousands of rows."""

from __future__ import annotations

from django.db import connection


def copy_rows(table: str, columns: list[str], rows, *, batch_size: int = 5000) -> int:
    """Rows of plain, database-ready values into `table`: COPY on PostgreSQL, batched
    executemany INSERTs elsewhere. JSON columns take already-dumped text."""
    quoted = connection.ops.quote_name(table)
    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    n = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {quoted} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
                    n += 1
            return n
        sql = f"INSERT INTO {quoted} ({names}) VALUES ({', '.join(['%s'] * len(columns))})"
        rows = list(rows)
        for i in range(0, len(rows), batch_size):
            cursor.executemany(sql, rows[i : i + batch_size])
        return len(rows)
