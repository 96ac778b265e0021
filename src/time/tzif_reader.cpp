// Private: TZif (RFC 8536) parsing; see tzif_reader.hpp.
#include "tzif_reader.hpp"

namespace dealstat {
inline namespace v1 {
namespace detail {

namespace {

std::uint32_t be32(const unsigned char* p) {
  return (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) | (std::uint32_t{p[2]} << 8) | p[3];
}

std::uint64_t be64(const unsigned char* p) { return (std::uint64_t{be32(p)} << 32) | be32(p + 4); }

//! The six counts of a TZif header.
struct Counts {
  std::uint64_t isut, isstd, leap, time, type, chars;
  //! Size of the data block that follows the header, for 4- (v1) or 8-byte (v2+) times.
  std::uint64_t block_size(std::uint64_t time_size) const {
    return time * time_size + time + type * 6 + chars + leap * (time_size + 4) + isstd + isut;
  }
};

constexpr std::size_t kHeaderSize = 44;

bool read_header(std::string_view bytes, std::size_t at, Counts& c, char& version) {
  if (bytes.size() < at + kHeaderSize || bytes.substr(at, 4) != "TZif") return false;
  const auto* p = reinterpret_cast<const unsigned char*>(bytes.data() + at);
  version = static_cast<char>(p[4]);
  c = Counts{be32(p + 20), be32(p + 24), be32(p + 28), be32(p + 32), be32(p + 36), be32(p + 40)};
  return true;
}

}  // namespace

bool parse_tzif(std::string_view bytes, TzifData& out, std::string& why) {
  Counts c{};
  char version = 0;
  if (!read_header(bytes, 0, c, version)) {
    why = "not a TZif file";
    return false;
  }
  std::size_t at = kHeaderSize;
  std::uint64_t time_size = 4;
  if (version >= '2') {  // skip the 32-bit block; the 64-bit one follows with its own header
    at += static_cast<std::size_t>(c.block_size(4));
    if (!read_header(bytes, at, c, version)) {
      why = "truncated TZif file";
      return false;
    }
    at += kHeaderSize;
    time_size = 8;
  }
  if (c.type == 0 || c.type > 256 || c.time > 100000 || bytes.size() < at + c.block_size(time_size)) {
    why = "truncated or inconsistent TZif file";
    return false;
  }
  if (c.leap != 0) {
    why = "zoneinfo files with leap seconds (\"right/\" zones) are not supported";
    return false;
  }
  const auto* p = reinterpret_cast<const unsigned char*>(bytes.data() + at);
  const unsigned char* times = p;
  const unsigned char* idx = times + c.time * time_size;
  const unsigned char* types = idx + c.time;

  std::vector<std::int32_t> offsets(c.type);
  for (std::uint64_t k = 0; k < c.type; ++k) {
    offsets[k] = static_cast<std::int32_t>(be32(types + k * 6));
    if (offsets[k] <= -86400 || offsets[k] >= 86400) {
      why = "TZif offset out of range";
      return false;
    }
  }
  out.initial_offset = offsets[0];
  out.transitions.clear();
  out.transitions.reserve(c.time);
  for (std::uint64_t k = 0; k < c.time; ++k) {
    const std::int64_t t = time_size == 8 ? static_cast<std::int64_t>(be64(times + k * 8))
                                          : static_cast<std::int32_t>(be32(times + k * 4));
    if (idx[k] >= c.type || (!out.transitions.empty() && t <= out.transitions.back().at)) {
      why = "TZif transitions out of order";
      return false;
    }
    out.transitions.push_back(Transition{t, offsets[idx[k]]});
  }
  out.footer.clear();
  if (time_size == 8) {  // "\n<TZ string>\n" after the data block
    const std::size_t f = at + static_cast<std::size_t>(c.block_size(8));
    if (f < bytes.size() && bytes[f] == '\n') {
      const std::size_t nl = bytes.find('\n', f + 1);
      if (nl == std::string_view::npos) {
        why = "TZif footer not terminated";
        return false;
      }
      out.footer.assign(bytes.substr(f + 1, nl - f - 1));
    }
  }
  return true;
}

}  // namespace detail
}  // namespace v1
}  // namespace dealstat
