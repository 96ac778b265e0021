// Arrow PyCapsules (PyCapsuleInterface.rst) without the Arrow library.
//
// Out: a result table as an ArrowArrayStream through the library's exporter
// (dealstat/core/arrow.hpp): the stream shares the ArrowTable whose buffers
// the numpy views of Table.column() also borrow, so nothing is copied.
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

#include "dealstat/core/arrow.hpp"
#include "common.hpp"
#include "dealstat/core/error.hpp"
#include "results.hpp"

namespace dealstat_py {
namespace {


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

py::capsule export_stream_capsule(std::shared_ptr<const dealstat::ArrowTable> table) {
  auto* s = new ArrowArrayStream;
  dealstat::export_arrow_stream(std::move(table), s);
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
