// Arrow C Data Interface producer and consumer (see arrow.hpp): every
// exported struct owns a private block holding a reference to the ArrowTable
// its buffers point into, so each release frees exactly what it was handed.
#include "dealstat/core/arrow.hpp"

#include <cerrno>
#include <cstring>
#include <new>
#include <utility>

#include "dealstat/core/error.hpp"

namespace dealstat {
inline namespace v1 {
namespace {

using TablePtr = std::shared_ptr<const ArrowTable>;

const char* format_of(ColumnType t) {
  switch (t) {
    case ColumnType::int64: return "l";
    case ColumnType::float64: return "g";
    case ColumnType::string: return "U";
  }
  return "l";
}

// ---- schema -------------------------------------------------------------

struct SchemaPrivate {
  TablePtr table;                         // names point into it
  std::vector<ArrowSchema> children;      // the child structs (parent only)
  std::vector<ArrowSchema*> child_ptrs;   // what ArrowSchema::children points at
};

void release_schema(ArrowSchema* s) {
  if (s == nullptr || s->release == nullptr) return;
  auto* p = static_cast<SchemaPrivate*>(s->private_data);
  for (ArrowSchema* c : p->child_ptrs) {
    if (c->release != nullptr) c->release(c);
  }
  delete p;
  s->release = nullptr;
}

void fill_schema(const TablePtr& table, ArrowSchema* out) {
  auto p = std::make_unique<SchemaPrivate>();
  p->table = table;
  p->children.resize(table->columns.size());
  p->child_ptrs.resize(table->columns.size());
  for (std::size_t i = 0; i < table->columns.size(); ++i) {
    const ArrowColumn& col = table->columns[i];
    auto cp = std::make_unique<SchemaPrivate>();
    cp->table = table;
    ArrowSchema& c = p->children[i];
    c = ArrowSchema{format_of(col.type), col.name.c_str(), nullptr, ARROW_FLAG_NULLABLE, 0, nullptr, nullptr,
                    &release_schema, cp.release()};
    p->child_ptrs[i] = &c;
  }
  out->format = "+s";
  out->name = table->name.c_str();
  out->metadata = nullptr;
  out->flags = 0;
  out->n_children = static_cast<std::int64_t>(p->children.size());
  out->children = p->child_ptrs.data();
  out->dictionary = nullptr;
  out->release = &release_schema;
  out->private_data = p.release();
}

// ---- arrays -------------------------------------------------------------

struct ArrayPrivate {
  TablePtr table;                        // buffers point into it
  const void* buffers[3] = {nullptr, nullptr, nullptr};
  std::vector<ArrowArray> children;      // parent only
  std::vector<ArrowArray*> child_ptrs;
};

void release_array(ArrowArray* a) {
  if (a == nullptr || a->release == nullptr) return;
  auto* p = static_cast<ArrayPrivate*>(a->private_data);
  for (ArrowArray* c : p->child_ptrs) {
    if (c->release != nullptr) c->release(c);
  }
  delete p;
  a->release = nullptr;
}

void fill_array(const TablePtr& table, ArrowArray* out) {
  auto p = std::make_unique<ArrayPrivate>();
  p->table = table;
  p->children.resize(table->columns.size());
  p->child_ptrs.resize(table->columns.size());
  for (std::size_t i = 0; i < table->columns.size(); ++i) {
    const ArrowColumn& col = table->columns[i];
    auto cp = std::make_unique<ArrayPrivate>();
    cp->table = table;
    cp->buffers[0] = col.null_count > 0 ? col.validity.data() : nullptr;
    std::int64_t n_buffers = 2;
    switch (col.type) {
      case ColumnType::int64: cp->buffers[1] = col.ints.data(); break;
      case ColumnType::float64: cp->buffers[1] = col.doubles.data(); break;
      case ColumnType::string:
        cp->buffers[1] = col.offsets.data();
        cp->buffers[2] = col.bytes.data();
        n_buffers = 3;
        break;
    }
    ArrowArray& c = p->children[i];
    c = ArrowArray{col.length, col.null_count, 0, n_buffers, 0, cp->buffers, nullptr, nullptr,
                   &release_array, nullptr};
    c.private_data = cp.release();
    p->child_ptrs[i] = &c;
  }
  out->length = table->rows;
  out->null_count = 0;
  out->offset = 0;
  out->n_buffers = 1;
  out->n_children = static_cast<std::int64_t>(p->children.size());
  out->buffers = p->buffers;  // the struct's validity: none
  out->children = p->child_ptrs.data();
  out->dictionary = nullptr;
  out->release = &release_array;
  out->private_data = p.release();
}

// ---- stream -------------------------------------------------------------

struct StreamPrivate {
  TablePtr table;
  bool done = false;
  std::string last_error;
};

int stream_get_schema(ArrowArrayStream* s, ArrowSchema* out) {
  auto* p = static_cast<StreamPrivate*>(s->private_data);
  try {
    fill_schema(p->table, out);
    return 0;
  } catch (const std::bad_alloc&) {
    p->last_error = "out of memory";
    return ENOMEM;
  }
}

int stream_get_next(ArrowArrayStream* s, ArrowArray* out) {
  auto* p = static_cast<StreamPrivate*>(s->private_data);
  if (p->done) {
    std::memset(out, 0, sizeof(*out));  // release == nullptr: the end of the stream
    return 0;
  }
  try {
    fill_array(p->table, out);
    p->done = true;
    return 0;
  } catch (const std::bad_alloc&) {
    p->last_error = "out of memory";
    return ENOMEM;
  }
}

const char* stream_get_last_error(ArrowArrayStream* s) {
  auto* p = static_cast<StreamPrivate*>(s->private_data);
  return p->last_error.empty() ? nullptr : p->last_error.c_str();
}

void stream_release(ArrowArrayStream* s) {
  if (s == nullptr || s->release == nullptr) return;
  delete static_cast<StreamPrivate*>(s->private_data);
  s->release = nullptr;
}

// ---- import -------------------------------------------------------------

[[noreturn]] void bad_column(const std::string& source, const std::string& column, const std::string& value,
                             const std::string& message) {
  throw Error(ErrorCode::invalid_data, Problem{source, 0, column, value, message});
}

bool bit(const void* bitmap, std::int64_t i) {
  if (bitmap == nullptr) return true;
  return (static_cast<const std::uint8_t*>(bitmap)[i >> 3] >> (i & 7)) & 1;
}

// Releases what it holds on every path out of import_arrow_stream.
struct StreamGuard {
  ArrowArrayStream* s;
  ArrowSchema schema{};
  ArrowArray array{};
  ~StreamGuard() {
    if (array.release != nullptr) array.release(&array);
    if (schema.release != nullptr) schema.release(&schema);
    if (s->release != nullptr) s->release(s);
    s->release = nullptr;
  }
};

}  // namespace

std::shared_ptr<const ArrowTable> ArrowTable::make(ResultTable table) {
  auto t = std::make_shared<ArrowTable>();
  t->name = std::move(table.name);
  t->rows = static_cast<std::int64_t>(table.rows());
  t->columns.reserve(table.columns.size());
  for (ResultColumn& rc : table.columns) {
    ArrowColumn c;
    c.name = std::move(rc.name);
    c.type = rc.type();
    c.length = static_cast<std::int64_t>(rc.size());
    if (!rc.valid.empty()) {
      c.validity.assign(static_cast<std::size_t>((c.length + 7) / 8), 0);
      for (std::int64_t i = 0; i < c.length; ++i) {
        if (rc.valid[static_cast<std::size_t>(i)] != 0) {
          c.validity[static_cast<std::size_t>(i >> 3)] |= static_cast<std::uint8_t>(1u << (i & 7));
        } else {
          ++c.null_count;
        }
      }
      if (c.null_count == 0) c.validity.clear();
    }
    switch (c.type) {
      case ColumnType::int64: c.ints = std::move(std::get<0>(rc.values)); break;
      case ColumnType::float64: c.doubles = std::move(std::get<1>(rc.values)); break;
      case ColumnType::string: {
        const auto& v = std::get<2>(rc.values);
        std::size_t total = 0;
        for (const auto& s : v) total += s.size();
        c.bytes.reserve(total);
        c.offsets.reserve(v.size() + 1);
        c.offsets.push_back(0);
        for (const auto& s : v) {
          c.bytes += s;
          c.offsets.push_back(static_cast<std::int64_t>(c.bytes.size()));
        }
        break;
      }
    }
    t->columns.push_back(std::move(c));
  }
  return t;
}

void export_arrow_stream(std::shared_ptr<const ArrowTable> table, ArrowArrayStream* out) {
  if (out == nullptr) throw Error(ErrorCode::invalid_option, "export_arrow_stream: out is null");
  if (table == nullptr) throw Error(ErrorCode::invalid_option, "export_arrow_stream: table is null");
  auto p = std::make_unique<StreamPrivate>();
  p->table = std::move(table);
  out->get_schema = &stream_get_schema;
  out->get_next = &stream_get_next;
  out->get_last_error = &stream_get_last_error;
  out->release = &stream_release;
  out->private_data = p.release();
}

ResultTable import_arrow_stream(ArrowArrayStream* stream, std::string name) {
  if (stream == nullptr || stream->release == nullptr) {
    throw Error(ErrorCode::invalid_option, Problem{name, 0, "stream", "", "the Arrow stream is null or released"});
  }
  StreamGuard g{stream};
  auto producer_error = [&](int rc, const char* what) {
    const char* msg = stream->get_last_error != nullptr ? stream->get_last_error(stream) : nullptr;
    throw Error(ErrorCode::io, Problem{name, 0, what, std::to_string(rc),
                                       std::string("the Arrow stream failed: ") + (msg ? msg : std::strerror(rc))});
  };
  if (int rc = stream->get_schema(stream, &g.schema); rc != 0) producer_error(rc, "get_schema");
  if (g.schema.format == nullptr || std::strcmp(g.schema.format, "+s") != 0) {
    bad_column(name, "", g.schema.format ? g.schema.format : "", "expected a stream of struct arrays (format \"+s\")");
  }
  ResultTable out;
  out.name = std::move(name);
  const auto n_cols = static_cast<std::size_t>(g.schema.n_children);
  std::vector<std::string> formats(n_cols);
  for (std::size_t i = 0; i < n_cols; ++i) {
    const ArrowSchema* cs = g.schema.children[i];
    std::string cname = cs->name ? cs->name : "";
    std::string f = cs->format ? cs->format : "";
    ResultColumn col;
    col.name = cname;
    if (f == "l" || f == "i") {
      col.values = std::vector<std::int64_t>{};
    } else if (f == "g" || f == "f") {
      col.values = std::vector<double>{};
    } else if (f == "u" || f == "U") {
      col.values = std::vector<std::string>{};
    } else {
      bad_column(out.name, cname, f, "unsupported Arrow type (int32, int64, float32, float64, utf8, large utf8 are read)");
    }
    if (cs->dictionary != nullptr) bad_column(out.name, cname, f, "dictionary-encoded columns are not read");
    formats[i] = std::move(f);
    out.columns.push_back(std::move(col));
  }
  std::vector<std::uint8_t> has_nulls(n_cols, 0);
  for (;;) {
    if (int rc = stream->get_next(stream, &g.array); rc != 0) producer_error(rc, "get_next");
    if (g.array.release == nullptr) break;
    const ArrowArray& a = g.array;
    if (a.n_children != static_cast<std::int64_t>(n_cols)) {
      bad_column(out.name, "", std::to_string(a.n_children), "a batch's column count differs from the schema's");
    }
    const void* struct_valid = (a.null_count != 0 && a.n_buffers > 0) ? a.buffers[0] : nullptr;
    for (std::size_t c = 0; c < n_cols; ++c) {
      const ArrowArray& ch = *a.children[c];
      ResultColumn& col = out.columns[c];
      const char f = formats[c][0];
      const void* valid = ch.null_count != 0 ? ch.buffers[0] : nullptr;
      for (std::int64_t r = 0; r < a.length; ++r) {
        const std::int64_t i = ch.offset + a.offset + r;
        const bool ok = bit(valid, i) && bit(struct_valid, a.offset + r);
        if (!ok && !has_nulls[c]) {
          has_nulls[c] = 1;
          col.valid.assign(col.size(), 1);
        }
        if (has_nulls[c]) col.valid.push_back(ok ? 1 : 0);
        if (f == 'l') {
          std::get<0>(col.values).push_back(ok ? static_cast<const std::int64_t*>(ch.buffers[1])[i] : 0);
        } else if (f == 'i') {
          std::get<0>(col.values).push_back(ok ? static_cast<const std::int32_t*>(ch.buffers[1])[i] : 0);
        } else if (f == 'g') {
          std::get<1>(col.values).push_back(ok ? static_cast<const double*>(ch.buffers[1])[i] : 0.0);
        } else if (f == 'f') {
          std::get<1>(col.values).push_back(ok ? static_cast<const float*>(ch.buffers[1])[i] : 0.0);
        } else {
          std::string s;
          if (ok) {
            const char* bytes = static_cast<const char*>(ch.buffers[2]);
            std::int64_t b = 0, e = 0;
            if (f == 'u') {
              b = static_cast<const std::int32_t*>(ch.buffers[1])[i];
              e = static_cast<const std::int32_t*>(ch.buffers[1])[i + 1];
            } else {
              b = static_cast<const std::int64_t*>(ch.buffers[1])[i];
              e = static_cast<const std::int64_t*>(ch.buffers[1])[i + 1];
            }
            s.assign(bytes + b, static_cast<std::size_t>(e - b));
          }
          std::get<2>(col.values).push_back(std::move(s));
        }
      }
    }
    g.array.release(&g.array);
  }
  return out;
}

}  // namespace v1
}  // namespace dealstat
