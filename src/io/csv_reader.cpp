// Reading CSV files (RFC 4180) with our own scanner, plus header look-up and
// exact line numbers. The accepted grammar is libcsv's (non-strict, the
// reader this replaced): only '\n' ends a record; ' ', '\t' and '\r' around
// an unquoted field are trimmed, so CRLF files read the same as LF files;
// blank lines are skipped but counted; newlines inside quoted fields count
// toward later records' line numbers.
//
// Speed: a record with no '"' before its newline (nearly every record) is
// split in one pass over the bytes, its fields handed out as views into the
// read buffer. A record with a quote goes through the full state machine,
// which copies its fields into a scratch buffer. The file is read in large
// blocks; a record cut by the block end is carried into the next block.
#include "dealstat/io/csv_reader.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>

#include "dealstat/core/error.hpp"
#include "io/csv_range.hpp"
#include "io/csv_scanner.hpp"

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
  detail::Scanner<const std::function<void(const CsvRecord&)>> scanner(source, on_header, on_record);
  const std::size_t bom = detail::bom_length(text.data(), text.size());
  scanner.parse(text.data() + bom, text.data() + text.size(), true);
  scanner.finish();
}

void read_csv_file(const std::string& path, const std::function<void(const CsvHeader&)>& on_header,
                   const std::function<void(const CsvRecord&)>& on_record) {
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> f(std::fopen(path.c_str(), "rb"), &std::fclose);
  if (!f) throw Error(ErrorCode::io, Problem{path, 0, "", "", std::string("cannot open file: ") + std::strerror(errno)});
  detail::Scanner<const std::function<void(const CsvRecord&)>> scanner(path, on_header, on_record);
  // Blocks of 4 MiB: large enough that the carried-over partial record is a rounding error, small enough
  // to stay in the last-level cache's neighbourhood and out of the load's peak memory.
  std::vector<char> buf(std::size_t{4} << 20);
  std::size_t have = 0;  // bytes in buf: the carried-over record, then the newly read block
  bool first = true;
  for (;;) {
    const std::size_t n = std::fread(buf.data() + have, 1, buf.size() - have, f.get());
    const bool eof = have + n < buf.size();
    if (eof && std::ferror(f.get())) throw Error(ErrorCode::io, Problem{path, 0, "", "", "read error"});
    have += n;
    std::size_t start = 0;
    if (first) {
      first = false;
      start = detail::bom_length(buf.data(), have);
    }
    const char* stop = scanner.parse(buf.data() + start, buf.data() + have, eof);
    if (eof) break;
    const std::size_t rest = static_cast<std::size_t>(buf.data() + have - stop);
    std::memmove(buf.data(), stop, rest);
    have = rest;
    if (have == buf.size()) buf.resize(buf.size() * 2);  // one record longer than the block
  }
  scanner.finish();
}

namespace detail {

CsvRange read_csv_range(const std::string& path, std::uint64_t begin, std::uint64_t limit, bool header,
                        const std::function<void(const CsvHeader&)>& on_header,
                        const std::function<void(const CsvRecord&)>& on_record) {
  return read_csv_range_with(path, begin, limit, header, on_header, on_record);
}

std::uint64_t next_line_start(const std::string& path, std::uint64_t from) {
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> f(std::fopen(path.c_str(), "rb"), &std::fclose);
  if (!f) throw Error(ErrorCode::io, Problem{path, 0, "", "", std::string("cannot open file: ") + std::strerror(errno)});
  if (fseeko(f.get(), static_cast<off_t>(from), SEEK_SET) != 0)
    throw Error(ErrorCode::io, Problem{path, 0, "", "", std::string("cannot seek: ") + std::strerror(errno)});
  char block[1 << 16];
  std::uint64_t at = from;
  for (;;) {
    const std::size_t n = std::fread(block, 1, sizeof block, f.get());
    if (n == 0) return at;
    if (const void* nl = std::memchr(block, '\n', n)) return at + static_cast<std::uint64_t>(static_cast<const char*>(nl) - block) + 1;
    at += n;
  }
}

}  // namespace detail

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
