// DealCandidates: the bitmap of candidate rows and its split into equal runs.
#include "dealstat/reports/deal_candidates.hpp"

namespace dealstat {
inline namespace v1 {

DealCandidates DealCandidates::all_rows(std::size_t rows) {
  DealCandidates c;
  c.rows_ = rows;
  c.all_ = true;
  c.count_ = rows;
  c.lo_ = 0;
  c.hi_ = rows;
  return c;
}

void DealCandidates::band(std::size_t lo, std::size_t hi) {
  lo_ = lo;
  hi_ = hi;
  const std::size_t base = lo & ~std::size_t{63};
  words_.assign(((hi - base) + 63) / 64, 0);
}

std::vector<std::size_t> DealCandidates::split(std::size_t parts) const {
  if (parts == 0) parts = 1;
  std::vector<std::size_t> r(parts + 1, 0);
  r[parts] = rows_;
  if (all_) {
    for (std::size_t k = 1; k < parts; ++k) r[k] = rows_ * k / parts;
    return r;
  }
  // The first row of part k is the candidate of rank count * k / parts (hi_ when past the last).
  const std::size_t base = lo_ & ~std::size_t{63};
  std::size_t seen = 0, w = 0;
  for (std::size_t k = 1; k < parts; ++k) {
    const std::size_t rank = count_ * k / parts;
    r[k] = hi_;
    while (w < words_.size()) {
      const auto n = static_cast<std::size_t>(std::popcount(words_[w]));
      if (seen + n > rank) {
        std::uint64_t bits = words_[w];
        for (std::size_t skip = rank - seen; skip > 0; --skip) bits &= bits - 1;
        r[k] = base + (w << 6) + static_cast<std::size_t>(std::countr_zero(bits));
        break;
      }
      seen += n;
      ++w;
    }
  }
  return r;
}

}  // namespace v1
}  // namespace dealstat
