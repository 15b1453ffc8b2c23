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
            # psycopg formats a row of str, int and None at about 5 µs; Decimal, date and
            # datetime cost several times that: callers pass those as text where they can.
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


def insert_new(table: str, columns: list[str], rows: list[tuple]) -> list[int]:
    """New rows (without their id) into `table`, by `copy_rows`; returns their ids, in order.

    On PostgreSQL the ids are drawn from the table's sequence in one query, then the rows are
    copied with them. Elsewhere (SQLite) the first row is inserted alone and the others take
    the ids after it: the transaction holds SQLite's one write lock from that insert on, so
    no other writer can take an id in between."""
    if not rows:
        return []
    quoted = connection.ops.quote_name(table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                [table, len(rows)],
            )
            ids = [pk for (pk,) in cursor.fetchall()]
        else:
            names = ", ".join(connection.ops.quote_name(c) for c in columns)
            cursor.execute(
                f"INSERT INTO {quoted} ({names}) VALUES ({', '.join(['%s'] * len(columns))})",
                rows[0],
            )
            first = cursor.lastrowid
            ids = list(range(first, first + len(rows)))
            rows, ids_rest = rows[1:], ids[1:]
            copy_rows(table, ["id", *columns], (
                (pk, *row) for pk, row in zip(ids_rest, rows, strict=True)
            ))  # fmt: skip
            return ids
    copy_rows(table, ["id", *columns], ((pk, *row) for pk, row in zip(ids, rows, strict=True)))
    return ids


def db_datetime(value):
    """A datetime as `copy_rows` takes it quickest: ISO text for PostgreSQL's COPY (the
    server parses it), the backend's own form elsewhere."""
    if connection.vendor == "postgresql":
        return value.isoformat()
    return connection.ops.adapt_datetimefield_value(value)
