"""A real Arrow consumer reads dealstat's exported streams: pyarrow imports
each table of a funnel, movement and stage-time result through the C stream
interface (libdealstat_c.so loaded with ctypes) and the values must equal
what the C column accessors return. Usage: arrow_consumer_test.py LIB"""
import ctypes
import math
import sys

import pyarrow as pa

lib = ctypes.CDLL(sys.argv[1])


class ArrowArrayStream(ctypes.Structure):
    _fields_ = [("get_schema", ctypes.c_void_p), ("get_next", ctypes.c_void_p),
                ("get_last_error", ctypes.c_void_p), ("release", ctypes.c_void_p),
                ("private_data", ctypes.c_void_p)]


class SampleOptions(ctypes.Structure):
    _fields_ = [("version", ctypes.c_int32), ("events", ctypes.c_int32), ("deals", ctypes.c_int64),
                ("seed", ctypes.c_uint64), ("start_s", ctypes.c_int64), ("end_s", ctypes.c_int64),
                ("time_zone", ctypes.c_char_p)]


H = ctypes.c_void_p
i64 = ctypes.c_int64
lib.dealstat_make_sample.argtypes = [ctypes.POINTER(SampleOptions), ctypes.POINTER(H)]
lib.dealstat_last_error_message.restype = ctypes.c_char_p
for name in ("dealstat_funnel", "dealstat_stage_time", "dealstat_movement"):
    getattr(lib, name).argtypes = [H, ctypes.c_void_p, ctypes.POINTER(H)]
lib.dealstat_result_table_count.argtypes = [H]
lib.dealstat_result_table_count.restype = i64
lib.dealstat_result_table_name.argtypes = [H, i64]
lib.dealstat_result_table_name.restype = ctypes.c_char_p
lib.dealstat_result_row_count.argtypes = [H, i64]
lib.dealstat_result_row_count.restype = i64
lib.dealstat_result_column_count.argtypes = [H, i64]
lib.dealstat_result_column_count.restype = i64
lib.dealstat_result_column_name.argtypes = [H, i64, i64]
lib.dealstat_result_column_name.restype = ctypes.c_char_p
lib.dealstat_result_column_type.argtypes = [H, i64, i64]
lib.dealstat_result_column_int64.argtypes = [H, i64, i64]
lib.dealstat_result_column_int64.restype = ctypes.POINTER(ctypes.c_int64)
lib.dealstat_result_column_float64.argtypes = [H, i64, i64]
lib.dealstat_result_column_float64.restype = ctypes.POINTER(ctypes.c_double)
lib.dealstat_result_column_string_offsets.argtypes = [H, i64, i64]
lib.dealstat_result_column_string_offsets.restype = ctypes.POINTER(ctypes.c_int64)
lib.dealstat_result_column_string_data.argtypes = [H, i64, i64]
lib.dealstat_result_column_string_data.restype = ctypes.POINTER(ctypes.c_char)
lib.dealstat_result_export_arrow.argtypes = [H, i64, ctypes.POINTER(ArrowArrayStream)]
lib.dealstat_result_destroy.argtypes = [ctypes.POINTER(H)]
lib.dealstat_dataset_destroy.argtypes = [ctypes.POINTER(H)]


def check(status, what):
    if status != 0:
        raise AssertionError(f"{what}: {status} {lib.dealstat_last_error_message().decode()}")


def column_via_accessors(res, t, c, rows):
    kind = lib.dealstat_result_column_type(res, t, c)
    if kind == 0:
        p = lib.dealstat_result_column_int64(res, t, c)
        return [p[i] for i in range(rows)]
    if kind == 1:
        p = lib.dealstat_result_column_float64(res, t, c)
        return [p[i] for i in range(rows)]
    off = lib.dealstat_result_column_string_offsets(res, t, c)
    data = lib.dealstat_result_column_string_data(res, t, c)
    return [ctypes.string_at(ctypes.addressof(data.contents) + off[i], off[i + 1] - off[i]).decode()
            if off[i + 1] > off[i] else "" for i in range(rows)]


def same(a, b):
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    return a == b


opts = SampleOptions(1, 0, 3000, 42, 1672531200, 1735689600, None)
ds = H()
check(lib.dealstat_make_sample(ctypes.byref(opts), ctypes.byref(ds)), "make_sample")
tables_checked = 0
for report in ("dealstat_funnel", "dealstat_stage_time", "dealstat_movement"):
    res = H()
    check(getattr(lib, report)(ds, None, ctypes.byref(res)), report)
    for t in range(lib.dealstat_result_table_count(res)):
        stream = ArrowArrayStream()
        check(lib.dealstat_result_export_arrow(res, t, ctypes.byref(stream)), "export")
        reader = pa.RecordBatchReader._import_from_c(ctypes.addressof(stream))
        table = reader.read_all()
        rows = lib.dealstat_result_row_count(res, t)
        assert table.num_rows == rows, (report, t, table.num_rows, rows)
        assert table.num_columns == lib.dealstat_result_column_count(res, t)
        for c in range(table.num_columns):
            name = lib.dealstat_result_column_name(res, t, c).decode()
            assert table.column_names[c] == name
            expected_type = [pa.int64(), pa.float64(), pa.large_string()][lib.dealstat_result_column_type(res, t, c)]
            assert table.schema.field(c).type == expected_type, (name, table.schema.field(c).type)
            got = table.column(c).to_pylist()
            want = column_via_accessors(res, t, c, rows)
            assert all(same(a, b) for a, b in zip(got, want)), (report, name, got[:5], want[:5])
        tables_checked += 1
    # The stream's data lives on after the result is gone.
    stream = ArrowArrayStream()
    check(lib.dealstat_result_export_arrow(res, 0, ctypes.byref(stream)), "export")
    rows0 = lib.dealstat_result_row_count(res, 0)
    lib.dealstat_result_destroy(ctypes.byref(res))
    assert pa.RecordBatchReader._import_from_c(ctypes.addressof(stream)).read_all().num_rows == rows0
lib.dealstat_dataset_destroy(ctypes.byref(ds))
print(f"pyarrow {pa.__version__} read {tables_checked} tables; every value equals the C accessors'")
