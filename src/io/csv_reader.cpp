// Reading CSV files with libcsv (RFC 4180), adding header look-up and exact
// line numbers. Only '\n' ends a record; '\r' counts as trailing space, so
// CRLF files read the same as LF files. Every '\n' outside quotes is
// reported (CSV_REPALL_NL), so blank lines still advance the line count, and
// newlines inside quoted fields are counted from the field bytes.
#include "dealstat/io/csv_reader.hpp"

#include <csv.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstring>
#include <memory>

#include "dealstat/core/error.hpp"

namespace dealstat {
inline namespace v1 {

namespace {

std::string normalize(std::string_view s) {
  std::size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  std::string out(s.substr(b, e - b));
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

int is_space(unsigned char c) { return c == ' ' || c == '\t' || c == '\r'; }
int is_term(unsigned char c) { return c == '\n'; }

struct ParseState {
  const std::string* source;
  const std::function<void(const CsvHeader&)>* on_header;
  const std::function<void(const CsvRecord&)>* on_record;
  std::string buffer;                       // this record's field bytes
  std::vector<std::size_t> ends;            // end offset of each field in buffer
  std::vector<std::string_view> views;      // rebuilt per record
  std::int64_t line = 1;                    // line where the current record starts
  std::int64_t extra_newlines = 0;          // newlines inside quoted fields of this record
  bool header_seen = false;
  bool bom_checked = false;
};

void on_field(void* s, std::size_t len, void* data) {
  auto* st = static_cast<ParseState*>(data);
  const char* p = static_cast<const char*>(s);
  st->buffer.append(p, len);
  st->ends.push_back(st->buffer.size());
  if (std::memchr(p, '\n', len) != nullptr) st->extra_newlines += std::count(p, p + len, '\n');
}

void on_row(int, void* data) {
  auto* st = static_cast<ParseState*>(data);
  const std::int64_t line = st->line;
  st->line += 1 + st->extra_newlines;
  st->extra_newlines = 0;
  if (st->ends.empty()) return;  // blank line
  st->views.clear();
  std::size_t b = 0;
  for (auto e : st->ends) {
    st->views.emplace_back(st->buffer.data() + b, e - b);
    b = e;
  }
  if (!st->header_seen) {
    st->header_seen = true;
    std::vector<std::string> names(st->views.begin(), st->views.end());
    (*st->on_header)(CsvHeader(std::move(names)));
  } else {
    (*st->on_record)(CsvRecord{st->views, line});
  }
  st->buffer.clear();
  st->ends.clear();
}

struct Parser {
  csv_parser p{};
  Parser() {
    if (csv_init(&p, CSV_REPALL_NL | CSV_APPEND_NULL) != 0) throw Error(ErrorCode::internal, "csv_init failed");
    csv_set_space_func(&p, is_space);
    csv_set_term_func(&p, is_term);
  }
  ~Parser() { csv_free(&p); }
  Parser(const Parser&) = delete;
  Parser& operator=(const Parser&) = delete;
};

void feed(Parser& parser, ParseState& st, const char* data, std::size_t len) {
  // The BOM is skipped before libcsv sees it: passed through, it would glue itself to the first
  // field and turn a quoted first header ("\xEF\xBB\xBF\"id\"") into the literal text "id" with quotes.
  if (!st.bom_checked && len > 0) {
    st.bom_checked = true;
    if (len >= 3 && std::memcmp(data, "\xEF\xBB\xBF", 3) == 0) {
      data += 3;
      len -= 3;
    }
  }
  if (csv_parse(&parser.p, data, len, on_field, on_row, &st) != len)
    throw Error(ErrorCode::parse, Problem{*st.source, st.line, "", "", csv_strerror(csv_error(&parser.p))});
}

// libcsv's parser state "inside a field" (libcsv.c's FIELD_BEGUN; csv.h exposes pstate and quoted).
constexpr int kLibcsvFieldBegun = 2;

void finish(Parser& parser, ParseState& st) {
  // Without CSV_STRICT, csv_fini silently accepts a quoted field that never closes, which would swallow
  // the rest of the file into one cell; report it at the line where its record starts.
  if (parser.p.quoted && parser.p.pstate == kLibcsvFieldBegun)
    throw Error(ErrorCode::parse, Problem{*st.source, st.line, "", "", "quoted field is not closed before the end of the file"});
  csv_fini(&parser.p, on_field, on_row, &st);
  if (!st.header_seen) throw Error(ErrorCode::parse, Problem{*st.source, 1, "", "", "empty file: no header row"});
}

}  // namespace

CsvHeader::CsvHeader(std::vector<std::string> names) : names_(std::move(names)) {}

std::optional<std::size_t> CsvHeader::find(std::string_view name) const {
  const std::string want = normalize(name);
  for (std::size_t i = 0; i < names_.size(); ++i)
    if (normalize(names_[i]) == want) return i;
  return std::nullopt;
}

std::size_t CsvHeader::require(std::string_view name, const std::string& source) const {
  if (auto i = find(name)) return *i;
  throw Error(ErrorCode::parse, Problem{source, 1, std::string(name), "", "required column is missing"});
}

void read_csv_text(std::string_view text, const std::string& source,
                   const std::function<void(const CsvHeader&)>& on_header,
                   const std::function<void(const CsvRecord&)>& on_record) {
  Parser parser;
  ParseState st{&source, &on_header, &on_record, {}, {}, {}, 1, 0, false, false};
  feed(parser, st, text.data(), text.size());
  finish(parser, st);
}

void read_csv_file(const std::string& path, const std::function<void(const CsvHeader&)>& on_header,
                   const std::function<void(const CsvRecord&)>& on_record) {
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> f(std::fopen(path.c_str(), "rb"), &std::fclose);
  if (!f) throw Error(ErrorCode::io, Problem{path, 0, "", "", std::string("cannot open file: ") + std::strerror(errno)});
  Parser parser;
  ParseState st{&path, &on_header, &on_record, {}, {}, {}, 1, 0, false, false};
  std::vector<char> chunk(1 << 20);
  for (;;) {
    std::size_t n = std::fread(chunk.data(), 1, chunk.size(), f.get());
    if (n > 0) feed(parser, st, chunk.data(), n);
    if (n < chunk.size()) {
      if (std::ferror(f.get())) throw Error(ErrorCode::io, Problem{path, st.line, "", "", "read error"});
      break;
    }
  }
  finish(parser, st);
}

void append_csv_field(std::string& out, std::string_view field) {
  // The reader trims unquoted spaces and tabs at either end, so such a field must be quoted to survive.
  auto blank = [](char c) { return c == ' ' || c == '\t'; };
  bool quote = field.find_first_of(",\"\r\n") != std::string_view::npos ||
               (!field.empty() && (blank(field.front()) || blank(field.back())));
  if (!quote) {
    out.append(field);
    return;
  }
  out.push_back('"');
  for (char c : field) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
}

}  // namespace v1
}  // namespace dealstat
