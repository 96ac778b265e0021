// Arrow PyCapsules (PyCapsuleInterface.rst) without the Arrow library.
//
// Out: a ResultTable as an ArrowArrayStream of one record batch (a struct
// array). int64 "l" and float64 "g" buffers point straight into the shared
// ResultTable (no copy); strings are packed once into large utf8 "U"; a
// validity bitmap is made only for columns with nulls. Every schema, array
// and child holds the table by reference count, so each stays valid until
// its own release callback runs.
//
// In: any object's __arrow_c_stream__ (pyarrow, Polars, pandas 2.2+, DuckDB)
// read into numpy columns: a single-batch int64 column without nulls is a
// view of the producer's buffer (the capsule keeps the batch alive); other
// columns are converted: ints and timestamps to int64 seconds (nulls become
// INT64_MIN, dealstat's "none"), floats to float64 (nulls NaN), strings
// (utf8, large utf8, string views, dictionary-encoded) to Python str.
#include <cerrno>
#include <cstring>
#include <limits>
#include <string>
#include <vector>

#include "arrow_abi.hpp"
#include "common.hpp"
#include "dealstat/core/error.hpp"
#include "results.hpp"

namespace dealstat_py {
namespace {

using dealstat::ResultTable;

// ---------------------------------------------------------------- export --

struct ExportColumn {
  const char* format = "l";
  std::int64_t null_count = 0;
  std::vector<std::uint8_t> bitmap;  // LSB validity, empty when no nulls
  std::vector<std::int64_t> offsets;  // strings only
  std::string bytes;                  // strings only
  const void* buffers[3] = {nullptr, nullptr, nullptr};
  std::int64_t n_buffers = 2;
};

struct ExportLayout {
  std::shared_ptr<const ResultTable> table;
  std::vector<ExportColumn> columns;
  std::int64_t rows = 0;
};

std::shared_ptr<const ExportLayout> make_layout(std::shared_ptr<const ResultTable> t) {
  auto l = std::make_shared<ExportLayout>();
  l->rows = static_cast<std::int64_t>(t->rows());
  l->columns.resize(t->columns.size());
  for (std::size_t c = 0; c < t->columns.size(); ++c) {
    const auto& src = t->columns[c];
    auto& dst = l->columns[c];
    const std::size_t n = src.size();
    if (!src.valid.empty()) {
      dst.bitmap.assign((n + 7) / 8, 0);
      for (std::size_t i = 0; i < n; ++i) {
        if (src.valid[i]) dst.bitmap[i / 8] |= static_cast<std::uint8_t>(1u << (i % 8));
        else ++dst.null_count;
      }
      if (dst.null_count == 0) dst.bitmap.clear();
    }
    dst.buffers[0] = dst.bitmap.empty() ? nullptr : dst.bitmap.data();
    switch (src.type()) {
      case dealstat::ColumnType::int64:
        dst.format = "l";
        dst.buffers[1] = std::get<std::vector<std::int64_t>>(src.values).data();
        break;
      case dealstat::ColumnType::float64:
        dst.format = "g";
        dst.buffers[1] = std::get<std::vector<double>>(src.values).data();
        break;
      case dealstat::ColumnType::string: {
        dst.format = "U";
        const auto& v = std::get<std::vector<std::string>>(src.values);
        dst.offsets.reserve(n + 1);
        dst.offsets.push_back(0);
        for (const auto& s : v) {
          dst.bytes += s;
          dst.offsets.push_back(static_cast<std::int64_t>(dst.bytes.size()));
        }
        dst.n_buffers = 3;
        dst.buffers[1] = dst.offsets.data();
        dst.buffers[2] = dst.bytes.data();
        break;
      }
    }
  }
  l->table = std::move(t);
  return l;
}

struct SchemaPriv {
  std::string format, name;
  std::vector<ArrowSchema*> children;
};

void release_schema(ArrowSchema* s) {
  if (s == nullptr || s->release == nullptr) return;
  auto* p = static_cast<SchemaPriv*>(s->private_data);
  for (ArrowSchema* c : p->children) {
    if (c->release != nullptr) c->release(c);
    delete c;
  }
  delete p;
  s->release = nullptr;
}

void fill_schema(ArrowSchema* out, std::string format, std::string name, std::int64_t flags) {
  auto* p = new SchemaPriv{std::move(format), std::move(name), {}};
  out->format = p->format.c_str();
  out->name = p->name.c_str();
  out->metadata = nullptr;
  out->flags = flags;
  out->n_children = 0;
  out->children = nullptr;
  out->dictionary = nullptr;
  out->release = &release_schema;
  out->private_data = p;
}

void export_schema(const ExportLayout& l, ArrowSchema* out) {
  fill_schema(out, "+s", "", 0);
  auto* p = static_cast<SchemaPriv*>(out->private_data);
  for (std::size_t c = 0; c < l.columns.size(); ++c) {
    auto* child = new ArrowSchema;
    fill_schema(child, l.columns[c].format, l.table->columns[c].name, ARROW_FLAG_NULLABLE);
    p->children.push_back(child);
  }
  out->n_children = static_cast<std::int64_t>(p->children.size());
  out->children = p->children.data();
}

struct ArrayPriv {
  std::shared_ptr<const ExportLayout> keep;
  std::vector<ArrowArray*> children;
  const void* buffers[3] = {nullptr, nullptr, nullptr};
};

void release_array(ArrowArray* a) {
  if (a == nullptr || a->release == nullptr) return;
  auto* p = static_cast<ArrayPriv*>(a->private_data);
  for (ArrowArray* c : p->children) {
    if (c->release != nullptr) c->release(c);
    delete c;
  }
  delete p;
  a->release = nullptr;
}

void export_array(std::shared_ptr<const ExportLayout> l, ArrowArray* out) {
  auto* p = new ArrayPriv{l, {}, {nullptr, nullptr, nullptr}};
  for (const auto& col : l->columns) {
    auto* child = new ArrowArray;
    auto* cp = new ArrayPriv{l, {}, {col.buffers[0], col.buffers[1], col.buffers[2]}};
    *child = ArrowArray{l->rows, col.null_count, 0, col.n_buffers, 0, cp->buffers, nullptr, nullptr,
                        &release_array, cp};
    p->children.push_back(child);
  }
  *out = ArrowArray{l->rows, 0, 0, 1, static_cast<std::int64_t>(p->children.size()), p->buffers,
                    p->children.data(), nullptr, &release_array, p};
}

struct StreamPriv {
  std::shared_ptr<const ExportLayout> layout;
  bool sent = false;
};

int stream_get_schema(ArrowArrayStream* s, ArrowSchema* out) {
  try {
    export_schema(*static_cast<StreamPriv*>(s->private_data)->layout, out);
    return 0;
  } catch (...) {
    return ENOMEM;
  }
}

int stream_get_next(ArrowArrayStream* s, ArrowArray* out) {
  auto* p = static_cast<StreamPriv*>(s->private_data);
  if (p->sent) {
    std::memset(out, 0, sizeof(*out));  // release == NULL: end of stream
    return 0;
  }
  try {
    export_array(p->layout, out);
    p->sent = true;
    return 0;
  } catch (...) {
    return ENOMEM;
  }
}

const char* stream_last_error(ArrowArrayStream*) { return nullptr; }

void stream_release(ArrowArrayStream* s) {
  if (s == nullptr || s->release == nullptr) return;
  delete static_cast<StreamPriv*>(s->private_data);
  s->release = nullptr;
}

// ---------------------------------------------------------------- import --

struct StreamHolder {  // the consumed stream's batches, released when the last view goes
  ArrowSchema schema{};
  std::vector<ArrowArray> batches;
  ~StreamHolder() {
    for (auto& b : batches)
      if (b.release != nullptr) b.release(&b);
    if (schema.release != nullptr) schema.release(&schema);
  }
};

[[noreturn]] void bad_column(const std::string& name, const std::string& format, const std::string& why) {
  throw dealstat::Error(dealstat::ErrorCode::invalid_data,
                        dealstat::Problem{"arrow", 0, name, format, why});
}

bool is_valid(const ArrowArray& a, std::int64_t i) {
  if (a.null_count == 0 || a.buffers[0] == nullptr) return true;
  const auto* bm = static_cast<const std::uint8_t*>(a.buffers[0]);
  const std::int64_t j = i + a.offset;
  return (bm[j / 8] >> (j % 8)) & 1;
}

template <class T>
T value_at(const ArrowArray& a, std::int64_t i) {
  return static_cast<const T*>(a.buffers[1])[i + a.offset];
}

// The i-th string of a utf8 / large utf8 / string view array.
std::string_view string_at(const ArrowArray& a, const std::string& fmt, std::int64_t i) {
  const std::int64_t j = i + a.offset;
  if (fmt == "u") {
    const auto* off = static_cast<const std::int32_t*>(a.buffers[1]);
    return {static_cast<const char*>(a.buffers[2]) + off[j], static_cast<std::size_t>(off[j + 1] - off[j])};
  }
  if (fmt == "U") {
    const auto* off = static_cast<const std::int64_t*>(a.buffers[1]);
    return {static_cast<const char*>(a.buffers[2]) + off[j], static_cast<std::size_t>(off[j + 1] - off[j])};
  }
  // "vu": 16-byte views; <= 12 bytes inline, else (prefix, buffer index, offset).
  const auto* view = static_cast<const std::uint8_t*>(a.buffers[1]) + 16 * j;
  std::int32_t len;
  std::memcpy(&len, view, 4);
  if (len <= 12) return {reinterpret_cast<const char*>(view + 4), static_cast<std::size_t>(len)};
  std::int32_t buf, off;
  std::memcpy(&buf, view + 8, 4);
  std::memcpy(&off, view + 12, 4);
  return {static_cast<const char*>(a.buffers[2 + buf]) + off, static_cast<std::size_t>(len)};
}

bool is_string_format(const std::string& f) { return f == "u" || f == "U" || f == "vu"; }

// Seconds per unit of a timestamp/duration format, as a divisor (1 = seconds).
std::int64_t time_divisor(const std::string& f) {
  switch (f[2]) {
    case 's': return 1;
    case 'm': return 1000;
    case 'u': return 1000000;
    case 'n': return 1000000000;
  }
  return 1;
}

std::int64_t floor_div(std::int64_t a, std::int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

py::list import_stream(py::capsule capsule) {
  if (std::strcmp(capsule.name(), "arrow_array_stream") != 0)
    throw py::type_error("expected an 'arrow_array_stream' PyCapsule");
  auto* stream = capsule.get_pointer<ArrowArrayStream>();
  if (stream == nullptr || stream->release == nullptr) throw py::value_error("the Arrow stream was already consumed");
  auto holder = std::make_shared<StreamHolder>();
  {
    ArrowArrayStream s = *stream;  // move the stream out; the capsule's destructor sees it released
    stream->release = nullptr;
    struct Guard {
      ArrowArrayStream* s;
      ~Guard() { s->release(s); }
    } guard{&s};
    if (s.get_schema(&s, &holder->schema) != 0) {
      const char* e = s.get_last_error(&s);
      throw dealstat::Error(dealstat::ErrorCode::io, std::string("arrow stream: ") + (e ? e : "get_schema failed"));
    }
    for (;;) {
      ArrowArray a{};
      if (s.get_next(&s, &a) != 0) {
        const char* e = s.get_last_error(&s);
        throw dealstat::Error(dealstat::ErrorCode::io, std::string("arrow stream: ") + (e ? e : "get_next failed"));
      }
      if (a.release == nullptr) break;
      holder->batches.push_back(a);
    }
  }
  const ArrowSchema& sc = holder->schema;
  if (std::string(sc.format) != "+s") throw py::type_error("the Arrow stream is not a stream of record batches");
  py::capsule keep = owner_capsule(holder);
  py::list out;
  std::int64_t total = 0;
  for (const auto& b : holder->batches) total += b.length;
  for (std::int64_t c = 0; c < sc.n_children; ++c) {
    const ArrowSchema& cs = *sc.children[c];
    const std::string name = cs.name ? cs.name : "";
    const std::string fmt = cs.format;
    const bool dict = cs.dictionary != nullptr;
    const std::string value_fmt = dict ? std::string(cs.dictionary->format) : fmt;
    std::string kind;
    py::object values;
    auto child = [&](const ArrowArray& batch) -> const ArrowArray& { return *batch.children[c]; };

    if (!dict && fmt == "l" && holder->batches.size() == 1 && child(holder->batches[0]).null_count == 0) {
      const ArrowArray& a = child(holder->batches[0]);
      kind = "int";
      values = borrowed_view(static_cast<const std::int64_t*>(a.buffers[1]) + a.offset,
                             static_cast<std::size_t>(a.length), keep);
    } else if (!dict && (fmt == "l" || fmt == "i" || fmt == "s" || fmt == "c" || fmt == "L" || fmt == "I" ||
                         fmt == "S" || fmt == "C" || fmt.rfind("ts", 0) == 0 || fmt == "tdD" || fmt == "tdm" ||
                         fmt.rfind("tD", 0) == 0)) {
      kind = fmt.rfind("t", 0) == 0 ? "time" : "int";
      if (fmt.rfind("tD", 0) == 0) kind = "duration";
      std::vector<std::int64_t> v;
      v.reserve(static_cast<std::size_t>(total));
      for (const auto& b : holder->batches) {
        const ArrowArray& a = child(b);
        for (std::int64_t i = 0; i < a.length; ++i) {
          if (!is_valid(a, i)) {
            v.push_back(std::numeric_limits<std::int64_t>::min());
            continue;
          }
          std::int64_t x = 0;
          if (fmt == "l") x = value_at<std::int64_t>(a, i);
          else if (fmt == "i") x = value_at<std::int32_t>(a, i);
          else if (fmt == "s") x = value_at<std::int16_t>(a, i);
          else if (fmt == "c") x = value_at<std::int8_t>(a, i);
          else if (fmt == "L") x = static_cast<std::int64_t>(value_at<std::uint64_t>(a, i));
          else if (fmt == "I") x = value_at<std::uint32_t>(a, i);
          else if (fmt == "S") x = value_at<std::uint16_t>(a, i);
          else if (fmt == "C") x = value_at<std::uint8_t>(a, i);
          else if (fmt == "tdD") x = static_cast<std::int64_t>(value_at<std::int32_t>(a, i)) * 86400;
          else if (fmt == "tdm") x = floor_div(value_at<std::int64_t>(a, i), 1000);
          else x = floor_div(value_at<std::int64_t>(a, i), time_divisor(fmt));
          v.push_back(x);
        }
      }
      values = owned_array(std::move(v));
    } else if (!dict && (fmt == "g" || fmt == "f")) {
      kind = "float";
      std::vector<double> v;
      v.reserve(static_cast<std::size_t>(total));
      for (const auto& b : holder->batches) {
        const ArrowArray& a = child(b);
        for (std::int64_t i = 0; i < a.length; ++i) {
          if (!is_valid(a, i)) v.push_back(std::numeric_limits<double>::quiet_NaN());
          else v.push_back(fmt == "g" ? value_at<double>(a, i) : value_at<float>(a, i));
        }
      }
      values = owned_array(std::move(v));
    } else if (!dict && fmt == "b") {
      kind = "bool";
      std::vector<std::int64_t> v;
      for (const auto& b : holder->batches) {
        const ArrowArray& a = child(b);
        const auto* bits = static_cast<const std::uint8_t*>(a.buffers[1]);
        for (std::int64_t i = 0; i < a.length; ++i) {
          const std::int64_t j = i + a.offset;
          v.push_back(is_valid(a, i) ? ((bits[j / 8] >> (j % 8)) & 1) : 0);
        }
      }
      values = owned_array(std::move(v));
    } else if (is_string_format(value_fmt)) {
      kind = "string";
      py::list v;
      for (const auto& b : holder->batches) {
        const ArrowArray& a = child(b);
        for (std::int64_t i = 0; i < a.length; ++i) {
          if (!is_valid(a, i)) {
            v.append(py::none());
            continue;
          }
          std::int64_t k = i;
          const ArrowArray* src = &a;
          if (dict) {
            if (fmt == "i") k = value_at<std::int32_t>(a, i);
            else if (fmt == "l") k = value_at<std::int64_t>(a, i);
            else if (fmt == "s") k = value_at<std::int16_t>(a, i);
            else if (fmt == "c") k = value_at<std::int8_t>(a, i);
            else bad_column(name, fmt, "unsupported dictionary index type");
            src = a.dictionary;
          }
          auto sv = string_at(*src, value_fmt, k);
          v.append(py::str(sv.data(), sv.size()));
        }
      }
      values = std::move(v);
    } else {
      bad_column(name, fmt, "unsupported Arrow type (use integers, floats, timestamps, dates or strings)");
    }
    out.append(py::make_tuple(name, kind, values));
  }
  return out;
}

}  // namespace

py::capsule export_stream_capsule(std::shared_ptr<const ResultTable> table) {
  auto* s = new ArrowArrayStream;
  s->get_schema = &stream_get_schema;
  s->get_next = &stream_get_next;
  s->get_last_error = &stream_last_error;
  s->release = &stream_release;
  s->private_data = new StreamPriv{make_layout(std::move(table)), false};
  return py::capsule(s, "arrow_array_stream", [](PyObject* cap) {
    auto* st = static_cast<ArrowArrayStream*>(PyCapsule_GetPointer(cap, "arrow_array_stream"));
    if (st == nullptr) {
      PyErr_Clear();
      return;
    }
    if (st->release != nullptr) st->release(st);
    delete st;
  });
}

void init_arrow(py::module_& m) {
  m.def("import_arrow_stream", &import_stream, py::arg("capsule"),
        "Reads an 'arrow_array_stream' PyCapsule into [(name, kind, values)]; kind is int, time, duration, "
        "float, bool or string. Time values are Unix seconds; int nulls are INT64_MIN.");
}

}  // namespace dealstat_py
