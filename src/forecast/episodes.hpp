// Internal: the episodes of the pipeline model, read off one deal's path, and
// how one episode counts at a forecast origin. Shared by PipelineModel::fit
// (one origin) and the forecast engine (many origins in one pass).
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "dealstat/data/dataset.hpp"
#include "dealstat/forecast/pipeline_model.hpp"

namespace dealstat::inline v1::detail {

inline constexpr std::int64_t kDaySeconds = 86400;

//! One landmark of one episode: the cell, the landmark instant, the first close after it.
struct Episode {
  std::uint32_t cell = 0;        //!< stage * landmarks + landmark, or (stages + pipeline) * landmarks + landmark
  std::int64_t landmark = 0;     //!< instant from which the episode is observed
  std::int64_t close = kNoTime;  //!< first won/lost entry after the episode began (kNoTime = none)
  bool won = false;              //!< that close was won
};

//! Where an episode counts at one origin: kind 0 won, 1 lost, 2 censored; slot 0..days.
struct SlotHit {
  std::uint8_t kind = 2;  //!< 0 won, 1 lost, 2 censored
  std::uint32_t slot = 0;  //!< day slot
};

//! How episode `e` counts for a model fitted just before `origin` (requires e.landmark < origin).
inline SlotHit slot_at(const Episode& e, std::int64_t origin, std::int32_t days) {
  const std::int64_t h = static_cast<std::int64_t>(days) * kDaySeconds;
  if (e.close != kNoTime && e.close < origin) {
    const std::int64_t d = e.close - e.landmark;
    if (d < h) return {static_cast<std::uint8_t>(e.won ? 0 : 1), static_cast<std::uint32_t>(d / kDaySeconds)};
    return {2, static_cast<std::uint32_t>(days)};
  }
  const std::int64_t u = origin - e.landmark;
  if (u >= h) return {2, static_cast<std::uint32_t>(days)};
  return {2, static_cast<std::uint32_t>(u / kDaySeconds)};
}

//! The first origin from which the episode's count no longer changes: min(close + 1, landmark + h).
inline std::int64_t settle_time(const Episode& e, std::int32_t days) {
  const std::int64_t h = static_cast<std::int64_t>(days) * kDaySeconds;
  std::int64_t t = e.landmark + h;
  if (e.close != kNoTime && e.close + 1 < t) t = e.close + 1;
  return t;
}

//! Calls emit(Episode) for every episode landmark of deal i (stage episodes, then its creation episode).
//! Landmarks are in seconds; cells: stage s landmark b = s * L + b, cohort of pipeline q = (stages + q) * L + b,
//! and a reopened episode (an entry into s after an earlier close on the path) (stages + pipelines + s) * L + b.
template <class Emit>
void for_each_episode(const Dataset& ds, std::size_t i, std::span<const std::int64_t> landmarks, Emit&& emit) {
  const PathView path = ds.paths().path(i);
  const auto& kind = ds.stages().kind;
  const std::size_t L = landmarks.size();
  const auto n = path.size();
  const std::size_t reopened_base = ds.stages().size() + ds.pipelines().size();
  // Index of the first closed entry (n = none): entries after it are reopened episodes.
  std::size_t first_closed = n;
  for (std::size_t k = 0; k < n; ++k)
    if (is_closed_kind(kind[path.stage[k]])) {
      first_closed = k;
      break;
    }
  // close_after[k]: first closed entry strictly after index k (scan backwards).
  std::int64_t next_close = kNoTime;
  bool next_won = false;
  // Walk backwards so the first close after k is known at k.
  for (std::size_t kk = n; kk-- > 0;) {
    const std::uint32_t s = path.stage[kk];
    const StageKind sk = kind[s];
    if (!is_closed_kind(sk)) {
      const std::int64_t e = path.entered_at[kk];
      const std::int64_t leave = kk + 1 < n ? path.entered_at[kk + 1] : kNoTime;
      const std::size_t row = kk > first_closed ? reopened_base + s : s;
      for (std::size_t b = 0; b < L; ++b) {
        const std::int64_t lm = e + landmarks[b];
        if (b > 0 && leave != kNoTime && leave <= lm) break;  // left the stage before this landmark
        emit(Episode{static_cast<std::uint32_t>(row * L + b), lm, next_close, next_won});
      }
    } else {
      next_close = path.entered_at[kk];
      next_won = sk == StageKind::won;
    }
  }
  // Creation cohort of the deal's pipeline: from created_at (+ landmark) to the first close on the path.
  std::int64_t first_close = kNoTime;
  bool first_won = false;
  for (std::size_t k = 0; k < n; ++k)
    if (is_closed_kind(kind[path.stage[k]])) {
      first_close = path.entered_at[k];
      first_won = kind[path.stage[k]] == StageKind::won;
      break;
    }
  const std::size_t base = (ds.stages().size() + ds.deals().pipeline[i]) * L;
  const std::int64_t created = ds.deals().created_at[i];
  for (std::size_t b = 0; b < L; ++b) {
    const std::int64_t lm = created + landmarks[b];
    if (b > 0 && first_close != kNoTime && first_close <= lm) break;  // closed before this landmark
    emit(Episode{static_cast<std::uint32_t>(base + b), lm, first_close, first_won});
  }
}

//! What follows each close on deal i's path within `days` days: for every won/lost entry at instant w,
//! begin(w, won) is called, then change(d, delta) for each d in 1..days at which "the deal is in a won
//! stage just before w + d days" changes by delta (+1 / -1) from its value at d - 1 (value at d = 1 before
//! any change: 1 after a won close, 0 after a lost one; begin() accounts for it). Closes are in path order.
template <class Begin, class Change>
void for_each_close(const PathView& path, const std::vector<StageKind>& kind, std::int32_t days, Begin&& begin,
                    Change&& change) {
  const std::int64_t h = static_cast<std::int64_t>(days) * kDaySeconds;
  const auto n = path.size();
  for (std::size_t k = 0; k < n; ++k) {
    const StageKind sk = kind[path.stage[k]];
    if (!is_closed_kind(sk)) continue;
    const std::int64_t w = path.entered_at[k];
    bool won = sk == StageKind::won;
    begin(w, won);
    for (std::size_t m = k + 1; m < n; ++m) {
      const std::int64_t t = path.entered_at[m];
      if (t - w >= h) break;  // affects no d <= days: state just before w + d days only sees entries < w + d days
      const bool now = kind[path.stage[m]] == StageKind::won;
      if (now == won) continue;
      change(static_cast<std::uint32_t>((t - w) / kDaySeconds + 1), now ? 1 : -1);
      won = now;
    }
  }
}

//! Index of the last path entry entered strictly before t, or -1 when none (the deal did not exist yet).
inline std::ptrdiff_t state_before(const PathView& path, std::int64_t t) {
  std::ptrdiff_t lo = 0, hi = static_cast<std::ptrdiff_t>(path.size());
  while (lo < hi) {
    const auto mid = (lo + hi) / 2;
    if (path.entered_at[static_cast<std::size_t>(mid)] < t) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

//! The absorbing chain's transient states: the open and unsorted stage rows (won and lost are absorbing).
struct ChainIndex {
  std::vector<std::int64_t> tix;        //!< per stage row: transient index, or -1 for won/lost
  std::vector<std::uint32_t> stage_of;  //!< per transient index: the stage row
};

//! The chain's transient states of a stage table.
inline ChainIndex chain_index(const std::vector<StageKind>& kind) {
  ChainIndex c;
  c.tix.assign(kind.size(), -1);
  for (std::size_t s = 0; s < kind.size(); ++s)
    if (!is_closed_kind(kind[s])) {
      c.tix[s] = static_cast<std::int64_t>(c.stage_of.size());
      c.stage_of.push_back(static_cast<std::uint32_t>(s));
    }
  return c;
}

//! Adds the stage-to-stage moves of one path entered before `origin` to moves[t * (t + 2)] (row: t
//! transient targets, won, lost).
inline void add_chain_moves(const PathView& p, const std::vector<StageKind>& kind, const ChainIndex& c, std::int64_t origin,
                            std::vector<std::int64_t>& moves) {
  const std::size_t t = c.stage_of.size();
  for (std::size_t k = 0; k + 1 < p.size(); ++k) {
    if (p.entered_at[k + 1] >= origin) break;
    const std::int64_t from = c.tix[p.stage[k]];
    if (from < 0 || p.stage[k] == p.stage[k + 1]) continue;  // moves out of won/lost (reopens) are not chain moves
    const std::uint32_t to = p.stage[k + 1];
    const std::size_t col = c.tix[to] >= 0 ? static_cast<std::size_t>(c.tix[to]) : kind[to] == StageKind::won ? t : t + 1;
    ++moves[static_cast<std::size_t>(from) * (t + 2) + col];
  }
}

//! The chain's eventual win probability per stage row (NaN for closed and unresolved stages) from the moves.
std::vector<double> chain_win_probability_from_moves(const ChainIndex& chain, std::size_t stages,
                                                     const std::vector<std::int64_t>& moves);

}  // namespace dealstat::inline v1::detail
