// Deterministic randomness for the sample generator: xoshiro256** seeded
// through splitmix64, and the few distributions the generator needs, all in
// integer and fixed-point arithmetic. No std::*_distribution (their output
// differs between standard libraries), no libm and no floating point (which a
// compiler may fuse into FMA on one platform and not on another): the same
// seed gives the same bits everywhere.
#pragma once

#include <array>
#include <cstdint>
#include <limits>

namespace dealstat::inline v1::detail {

//! One step of splitmix64 (Vigna): advances the state and returns a well-mixed word.
inline std::uint64_t splitmix64(std::uint64_t& state) {
  std::uint64_t z = (state += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

//! 2^(j/16) for j = 0..16 in Q16 fixed point (65536 = 1.0).
inline constexpr std::array<std::int64_t, 17> kPow2Q16 = {65536, 68438, 71468, 74632, 77936, 81386,
                                                           84990, 88752, 92682, 96785, 101070, 105545,
                                                           110218, 115098, 120194, 125515, 131072};

//! v * 2^(e / 1024) for 0 <= v < 2^40, rounded down; saturates instead of overflowing.
inline std::int64_t scale_pow2(std::int64_t v, std::int64_t e) {
  std::int64_t k = e >= 0 ? e / 1024 : -((-e + 1023) / 1024);  // floor(e / 1024)
  const std::int64_t f = e - k * 1024;                              // 0..1023
  const std::int64_t j = f / 64, r = f % 64;
  const std::int64_t m = kPow2Q16[j] + (kPow2Q16[j + 1] - kPow2Q16[j]) * r / 64;  // Q16, 1.0..2.0
  std::int64_t x = v * m;                                                          // < 2^57
  if (k >= 0) {
    if (k > 62 || x > (std::numeric_limits<std::int64_t>::max() >> k)) return std::numeric_limits<std::int64_t>::max() >> 16;
    x <<= k;
  } else {
    x = -k > 62 ? 0 : x >> -k;
  }
  return x >> 16;
}

//! xoshiro256** (Blackman and Vigna) with integer-only distributions.
class SampleRng {
 public:
  //! Seeds the four state words from splitmix64(seed).
  explicit SampleRng(std::uint64_t seed) {
    for (auto& w : s_) w = splitmix64(seed);
  }

  //! A generator in the given state (not all zero); for checks against reference outputs.
  static SampleRng from_state(const std::array<std::uint64_t, 4>& state) {
    SampleRng r(0);
    r.s_ = state;
    return r;
  }

  //! The next 64 random bits.
  std::uint64_t next() {
    const std::uint64_t result = rotl(s_[1] * 5, 7) * 9;
    const std::uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
  }

  //! Uniform integer in [0, n) for n >= 1 (Lemire's multiply-shift on 32 bits).
  std::uint32_t below(std::uint32_t n) { return static_cast<std::uint32_t>(((next() >> 32) * n) >> 32); }

  //! Uniform integer in [lo, hi) (lo < hi); spans of 2^32 or more use a modulo (negligible bias).
  std::int64_t between(std::int64_t lo, std::int64_t hi) {
    const auto span = static_cast<std::uint64_t>(hi - lo);
    if (span <= 0xFFFFFFFFull) return lo + below(static_cast<std::uint32_t>(span));
    return lo + static_cast<std::int64_t>(next() % span);
  }

  //! True with probability per_10k / 10000.
  bool chance(std::int64_t per_10k) { return static_cast<std::int64_t>(below(10000)) < per_10k; }

  //! Approximately standard normal, in units of 1/1024: Irwin-Hall sum of four uniforms, |z| < 3.47.
  std::int32_t normal_fx() {
    const std::uint64_t r = next();
    const std::int64_t sum = static_cast<std::int64_t>((r & 0xFFFF) + ((r >> 16) & 0xFFFF) + ((r >> 32) & 0xFFFF) +
                                                       (r >> 48));
    // Mean 4 * 65535 / 2, standard deviation 65536 / sqrt(3) = 37837.
    return static_cast<std::int32_t>((sum - 131070) * 1024 / 37837);
  }

  //! Lognormal with the given median (0 <= median < 2^40) and spread sigma in octaves x 1024 (log2 units).
  std::int64_t lognormal(std::int64_t median, std::int32_t sigma_octaves_fx) {
    const std::int64_t e = static_cast<std::int64_t>(sigma_octaves_fx) * normal_fx() / 1024;
    return scale_pow2(median, e);
  }

  //! Index drawn with probability proportional to weights[i] (total > 0).
  template <std::size_t N>
  std::size_t pick(const std::array<std::uint32_t, N>& weights) {
    std::uint32_t total = 0;
    for (auto w : weights) total += w;
    std::uint32_t x = below(total);
    for (std::size_t i = 0; i < N; ++i) {
      if (x < weights[i]) return i;
      x -= weights[i];
    }
    return N - 1;
  }

 private:
  static std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  std::array<std::uint64_t, 4> s_{};
};

}  // namespace dealstat::inline v1::detail
