// DatasetBuilder: staging of rows, validation of SPEC section 1's rules, and
// the one-step build of an immutable Dataset with its path index.
//
// Rows are staged column-wise with their strings already interned, so a load
// of millions of deals does not keep millions of std::strings alive. build()
// validates table by table in dependency order (pipelines, stages, users,
// deals, stage changes, the rest); a record that breaks a rule is either the
// error (strict) or left out and listed (lenient), and records that depend
// on a left-out record (a stage change of a left-out deal) are left out too,
// each with its own problem.
#include "dealstat/data/dataset_builder.hpp"

#include <algorithm>
#include <array>
#include <numeric>
#include <optional>
#include <string>

#include "detail/id_map.hpp"
#include "detail/narrow_column.hpp"
#include "detail/parallel.hpp"

namespace dealstat {
inline namespace v1 {

const char* default_source(Table t) {
  static constexpr std::array<const char*, 14> names = {
      "account.csv",   "users.csv",    "pipelines.csv", "stages.csv",    "deals.csv",
      "stage_changes.csv", "tasks.csv", "contacts.csv", "companies.csv", "customers.csv",
      "invoices.csv",  "purchases.csv", "unsorted.csv", "events.csv"};
  return names[static_cast<std::size_t>(t)];
}

namespace {

constexpr std::uint32_t kNone = 0xFFFFFFFFu;

std::int64_t opt_id(const std::optional<std::int64_t>& v) { return v ? *v : kNoId; }
template <class T>
std::int64_t opt_id(const std::optional<T>& v) {
  return v ? v->value : kNoId;
}
std::int64_t opt_time(const std::optional<Timestamp>& t) { return t ? t->seconds : kNoTime; }
bool time_in_range(std::int64_t t) { return t >= kMinValidTime && t <= kMaxValidTime; }

// Source line numbers of staged rows, stored as runs: a run's rows have lines `line`, `line + step`, ...
// with step 1 (a file read line by line) or 0 (rows added without lines), so a clean file costs a few
// bytes in all instead of 8 per row; a new run starts where a row breaks the pattern (blank lines,
// multi-line fields, skipped records, a second file). A row's line is found by binary search over the
// runs when a problem needs it.
class LineColumn {
 public:
  void push_back(std::int64_t line) {
    if (rows_ > 0) {
      Run& r = runs_.back();
      const auto len = static_cast<std::int64_t>(rows_ - r.row);
      if (len == 1 && (line == r.line || line == r.line + 1)) r.step = line - r.line;  // its second row sets the step
      if (line == r.line + r.step * len) {
        ++rows_;
        return;
      }
    }
    runs_.push_back({rows_, line, 1});
    ++rows_;
  }
  std::int64_t operator[](std::size_t i) const {
    auto it = std::upper_bound(runs_.begin(), runs_.end(), i, [](std::size_t row, const Run& r) { return row < r.row; });
    --it;  // runs_[0].row == 0 <= i
    return it->line + it->step * static_cast<std::int64_t>(i - it->row);
  }
  std::size_t size() const { return rows_; }
  //! Appends the rows of `other` with `offset` added to their lines; its first run continues the last
  //! one when the lines follow on (chunks of a clean file stay one run, so look-ups stay O(1)-ish).
  void append(const LineColumn& other, std::int64_t offset) {
    for (std::size_t k = 0; k < other.runs_.size(); ++k) {
      const Run& r = other.runs_[k];
      const std::size_t len = (k + 1 < other.runs_.size() ? other.runs_[k + 1].row : other.rows_) - r.row;
      const std::int64_t line = r.line + offset;
      if (k == 0 && rows_ > 0) {
        Run& last = runs_.back();
        const auto had = static_cast<std::int64_t>(rows_ - last.row);
        std::int64_t step = last.step;
        if (had == 1 && (line == last.line || line == last.line + 1)) step = line - last.line;
        if (line == last.line + step * had && (len == 1 || r.step == step)) {
          last.step = step;
          rows_ += len;
          continue;
        }
      }
      runs_.push_back({rows_, line, r.step});
      rows_ += len;
    }
  }

 private:
  struct Run {
    std::size_t row;    // first row
    std::int64_t line;  // its line
    std::int64_t step;  // 0 or 1
  };
  std::vector<Run> runs_;
  std::size_t rows_ = 0;
};

// Dense uint32 codes for the few distinct pipeline, stage and user ids a file names, so staged rows hold
// 4 bytes per such id instead of 8; kNoId codes to kNone and back.
//
// Ids below kSmall (the usual pipeline, stage and user ids) are coded through a direct table, filled on
// first sight: the common look-up is one load, no hash. Codes are handed out in order of first sight
// whichever way an id is looked up, so the codes are those of the hash map alone.
class IdCodes {
 public:
  static constexpr std::uint64_t kSmall = 4096;
  [[gnu::always_inline]] std::uint32_t code(std::int64_t id) {
    if (id == kNoId) return kNone;
    if (static_cast<std::uint64_t>(id) < kSmall && !small_.empty()) {
      const std::uint32_t c = small_[static_cast<std::size_t>(id)];
      if (c != kNone) return c;
    }
    return code_slow(id);
  }
  std::int64_t id(std::uint32_t code) const { return code == kNone ? kNoId : ids_[code]; }
  //! This set's code of each of `other`'s codes (by position).
  std::vector<std::uint32_t> recode(const IdCodes& other) {
    std::vector<std::uint32_t> out(other.ids_.size());
    for (std::size_t i = 0; i < out.size(); ++i) out[i] = code(other.ids_[i]);
    return out;
  }

 private:
  [[gnu::noinline]] std::uint32_t code_slow(std::int64_t id) {
    if (static_cast<std::uint64_t>(id) < kSmall) {  // first sight of a small id
      if (small_.empty()) small_.assign(kSmall, kNone);
      const auto next = static_cast<std::uint32_t>(ids_.size());
      ids_.push_back(id);
      small_[static_cast<std::size_t>(id)] = next;
      return next;
    }
    if (id == last_id_ && !ids_.empty()) return last_code_;  // consecutive rows often name the same id
    const auto next = static_cast<std::uint32_t>(ids_.size());
    std::uint32_t had = map_.insert(id, next);
    if (had == detail::IdMap::kMissing) {
      ids_.push_back(id);
      had = next;
    }
    last_id_ = id;
    last_code_ = had;
    return had;
  }

  std::vector<std::uint32_t> small_;  // id -> code for ids below kSmall (kNone = not seen); empty until one is
  detail::IdMap map_;                 // the other ids
  std::vector<std::int64_t> ids_;
  std::int64_t last_id_ = 0;  // the last id coded, and its code
  std::uint32_t last_code_ = 0;
};

// Deal id -> final deal row. CRM deal ids are nearly consecutive, so when they span at most 4 slots a
// deal the index is a plain table (4 bytes a slot, filled and read in id order: no cache misses);
// otherwise an IdMap (16 bytes a slot, 2-4 slots a deal, a cache miss a look-up at scale).
class DealRows {
 public:
  explicit DealRows(const std::vector<std::int64_t>& ids) {
    if (ids.empty()) return;
    const auto [lo, hi] = std::minmax_element(ids.begin(), ids.end());
    const std::uint64_t span = static_cast<std::uint64_t>(*hi) - static_cast<std::uint64_t>(*lo);
    if (span / 4 < ids.size()) {
      base_ = *lo;
      dense_.assign(static_cast<std::size_t>(span) + 1, kNone);
      direct_ = true;
    } else {
      map_.reserve(ids.size());
    }
  }
  //! Stores id -> row unless present; returns the row already stored, or kNone if stored.
  std::uint32_t insert(std::int64_t id, std::uint32_t row) {
    if (!direct_) return map_.insert(id, row);
    std::uint32_t& slot = dense_[offset(id)];  // every inserted id is one of the constructor's
    if (slot != kNone) return slot;
    slot = row;
    return kNone;
  }
  //! The row of id, or kNone.
  std::uint32_t find(std::int64_t id) const {
    if (!direct_) return map_.find(id);
    if (id < base_) return kNone;
    const std::uint64_t k = offset(id);
    return k < dense_.size() ? dense_[k] : kNone;
  }

 private:
  std::uint64_t offset(std::int64_t id) const { return static_cast<std::uint64_t>(id) - static_cast<std::uint64_t>(base_); }
  bool direct_ = false;  // dense_ in use, not map_
  std::int64_t base_ = 0;
  std::vector<std::uint32_t> dense_;
  detail::IdMap map_;
};

// Frees a staged column once build() has consumed it (clear() would keep the capacity).
template <class T>
void release(T& column) {
  column = T();
}

using detail::drop_consumed;
constexpr std::size_t kDropEvery = std::size_t{1} << 18;  // rows between drop_consumed calls

// A direct-mapped cache of string codes in front of StringPool::intern, for the deal columns of few
// distinct values (channel, loss reason, usual names and tags): a hit costs a compare with the pooled
// string instead of a hash and a map look-up. A hit is exact (the pooled string equals s), and a miss
// interns as before, so the codes are the pool's own, in the same order.
class InternCache {
 public:
  StrCode intern(StringPool& pool, std::string_view s) {
    if (s.empty()) return 0;
    const std::size_t h = (s.size() * 31u + static_cast<unsigned char>(s.front()) * 7u +
                           static_cast<unsigned char>(s.back())) & (kSlots - 1);
    StrCode& c = slots_[h];
    if (c != 0 && pool.view(c) == s) return c;
    c = pool.intern(s);
    return c;
  }

 private:
  static constexpr std::size_t kSlots = 256;
  std::array<StrCode, kSlots> slots_{};  // 0 = empty slot
};

// Staged deals: DealTable's shape, with external ids where the final table has indexes (pipeline, stage
// and user ids as IdCodes codes).
struct DealStage {
  std::vector<std::int64_t> id, created_at, closed_at, budget, contact, company;
  std::vector<std::uint32_t> pipeline_id, stage_id, responsible_id;
  IdCodes pipeline_codes, stage_codes, user_codes;
  LineColumn line;
  std::vector<StrCode> name, channel, loss_reason;
  std::vector<std::uint8_t> deleted;
  std::vector<std::uint32_t> tags_offset{0};
  std::vector<StrCode> tags;
  InternCache strings;  // add_deal_fields' cache of the builder's StringPool codes
};

// Staged stage changes: 18 bytes a row in the usual file (deal ids and instants as int32 offsets,
// pipeline, stage and user ids as 16-bit IdCodes codes; each column widens itself when a value does
// not fit), 36 at most.
struct ChangeStage {
  detail::NarrowInt64 deal_id, at;
  detail::Codes from_pipeline, from_stage, to_pipeline, to_stage, by_user;
  IdCodes pipeline_codes, stage_codes, user_codes;  // its own, so deals and changes can be added from two threads
  LineColumn line;
};

struct TaskStage {
  std::vector<std::int64_t> id, responsible_id, created_at, due_at, completed_at, entity_id;
  std::vector<StrCode> entity_type, type;
  LineColumn line;
};

struct SimpleStage {
  std::vector<std::int64_t> id, created_at, responsible_id;
  LineColumn line;
};

struct EventStage {
  EventTable table;  // by_user left empty until build
  std::vector<std::int64_t> by_user_id;
  LineColumn line;
};

}  // namespace

struct DatasetBuilder::Impl {
  std::array<std::string, 14> sources;
  std::array<ProblemLocator, 14> locators;
  Account account;
  StringPool strings;
  std::vector<std::pair<UserRow, std::int64_t>> users;
  std::vector<std::pair<PipelineRow, std::int64_t>> pipelines;
  std::vector<std::pair<StageRow, std::int64_t>> stages;
  DealStage deals;
  ChangeStage changes;
  TaskStage tasks;
  SimpleStage contacts, companies, customers, invoices;
  std::vector<std::pair<PurchaseRow, std::int64_t>> purchases;
  std::vector<std::pair<UnsortedRow, std::int64_t>> unsorted;
  EventStage events;
  unsigned build_threads = 0;        // set_build_threads: 0 = all cores
  std::size_t build_block_rows = 0;  // 0 = kDropEvery

  Impl() {
    for (std::size_t i = 0; i < sources.size(); ++i) sources[i] = default_source(static_cast<Table>(i));
  }
};

DatasetBuilder::DatasetBuilder() : impl_(std::make_unique<Impl>()) {}
DatasetBuilder::~DatasetBuilder() = default;
DatasetBuilder::DatasetBuilder(DatasetBuilder&&) noexcept = default;
DatasetBuilder& DatasetBuilder::operator=(DatasetBuilder&&) noexcept = default;

void DatasetBuilder::set_source(Table table, std::string source) {
  impl_->sources[static_cast<std::size_t>(table)] = std::move(source);
}
void DatasetBuilder::set_locator(Table table, ProblemLocator locator) {
  impl_->locators[static_cast<std::size_t>(table)] = std::move(locator);
}
void DatasetBuilder::set_build_threads(unsigned threads, std::size_t block_rows) {
  impl_->build_threads = threads;
  impl_->build_block_rows = block_rows;
}
void DatasetBuilder::set_account(Account account) { impl_->account = std::move(account); }
void DatasetBuilder::add_user(UserRow row, std::int64_t line) { impl_->users.emplace_back(std::move(row), line); }
void DatasetBuilder::add_pipeline(PipelineRow row, std::int64_t line) {
  impl_->pipelines.emplace_back(std::move(row), line);
}
void DatasetBuilder::add_stage(StageRow row, std::int64_t line) { impl_->stages.emplace_back(std::move(row), line); }

void DatasetBuilder::add_deal(DealRow row, std::int64_t line) {
  auto& d = impl_->deals;
  auto& s = impl_->strings;
  d.id.push_back(row.id.value);
  d.pipeline_id.push_back(d.pipeline_codes.code(row.pipeline.value));
  d.stage_id.push_back(d.stage_codes.code(row.stage.value));
  d.created_at.push_back(row.created_at.seconds);
  d.closed_at.push_back(opt_time(row.closed_at));
  d.budget.push_back(row.budget.minor);
  d.responsible_id.push_back(d.user_codes.code(opt_id(row.responsible)));
  d.contact.push_back(opt_id(row.contact_id));
  d.company.push_back(opt_id(row.company_id));
  d.line.push_back(line);
  d.name.push_back(s.intern(row.name));
  d.channel.push_back(s.intern(row.channel));
  d.loss_reason.push_back(s.intern(row.loss_reason));
  d.deleted.push_back(row.deleted ? 1 : 0);
  for (const auto& t : row.tags) d.tags.push_back(s.intern(t));
  d.tags_offset.push_back(static_cast<std::uint32_t>(d.tags.size()));
}

[[gnu::flatten]] void DatasetBuilder::add_deal_fields(const DealFields& f, std::int64_t line) {
  auto& d = impl_->deals;
  auto& s = impl_->strings;
  d.id.push_back(f.id);
  d.pipeline_id.push_back(d.pipeline_codes.code(f.pipeline_id));
  d.stage_id.push_back(d.stage_codes.code(f.stage_id));
  d.created_at.push_back(f.created_at);
  d.closed_at.push_back(f.closed_at);
  d.budget.push_back(f.budget_minor);
  d.responsible_id.push_back(d.user_codes.code(f.responsible_id));
  d.contact.push_back(f.contact_id);
  d.company.push_back(f.company_id);
  d.line.push_back(line);
  d.name.push_back(d.strings.intern(s, f.name));
  d.channel.push_back(d.strings.intern(s, f.channel));
  d.loss_reason.push_back(d.strings.intern(s, f.loss_reason));
  d.deleted.push_back(f.deleted ? 1 : 0);
  for (auto t : f.tags) d.tags.push_back(d.strings.intern(s, t));
  d.tags_offset.push_back(static_cast<std::uint32_t>(d.tags.size()));
}

void DatasetBuilder::add_stage_change(const StageChangeRow& row, std::int64_t line) {
  add_stage_change_ids({row.deal.value, row.at.seconds, opt_id(row.from_pipeline), opt_id(row.from_stage),
                        opt_id(row.to_pipeline), row.to_stage.value, opt_id(row.by_user)},
                       line);
}

// Flattened: the columns' push_backs (std::vector's included) inlined, not a call per column.
[[gnu::flatten]] void DatasetBuilder::add_stage_change_ids(const StageChangeIds& r, std::int64_t line) {
  auto& c = impl_->changes;
  c.deal_id.push_back(r.deal_id);
  c.at.push_back(r.at);
  c.from_pipeline.push_back(c.pipeline_codes.code(r.from_pipeline_id));
  c.from_stage.push_back(c.stage_codes.code(r.from_stage_id));
  c.to_pipeline.push_back(c.pipeline_codes.code(r.to_pipeline_id));
  c.to_stage.push_back(c.stage_codes.code(r.to_stage_id));
  c.by_user.push_back(c.user_codes.code(r.by_user_id));
  c.line.push_back(line);
}

void DatasetBuilder::add_task(TaskRow row, std::int64_t line) {
  auto& t = impl_->tasks;
  t.id.push_back(row.id.value);
  t.responsible_id.push_back(opt_id(row.responsible));
  t.created_at.push_back(row.created_at.seconds);
  t.due_at.push_back(opt_time(row.due_at));
  t.completed_at.push_back(opt_time(row.completed_at));
  t.entity_id.push_back(opt_id(row.entity_id));
  t.entity_type.push_back(impl_->strings.intern(row.entity_type));
  t.type.push_back(impl_->strings.intern(row.type));
  t.line.push_back(line);
}

namespace {
void stage_simple(SimpleStage& s, const SimpleEntityRow& row, std::int64_t line) {
  s.id.push_back(row.id);
  s.created_at.push_back(row.created_at.seconds);
  s.responsible_id.push_back(opt_id(row.responsible));
  s.line.push_back(line);
}
}  // namespace

void DatasetBuilder::add_contact(const SimpleEntityRow& row, std::int64_t line) { stage_simple(impl_->contacts, row, line); }
void DatasetBuilder::add_company(const SimpleEntityRow& row, std::int64_t line) { stage_simple(impl_->companies, row, line); }
void DatasetBuilder::add_customer(const SimpleEntityRow& row, std::int64_t line) { stage_simple(impl_->customers, row, line); }
void DatasetBuilder::add_invoice(const SimpleEntityRow& row, std::int64_t line) { stage_simple(impl_->invoices, row, line); }
void DatasetBuilder::add_purchase(const PurchaseRow& row, std::int64_t line) { impl_->purchases.emplace_back(row, line); }
void DatasetBuilder::add_unsorted(UnsortedRow row, std::int64_t line) {
  impl_->unsorted.emplace_back(std::move(row), line);
}

void DatasetBuilder::add_event(EventRow row, std::int64_t line) {
  auto& e = impl_->events;
  e.table.id.push_back(row.id);
  e.table.type.push_back(impl_->strings.intern(row.type));
  e.table.entity_type.push_back(impl_->strings.intern(row.entity_type));
  e.table.entity_id.push_back(row.entity_id);
  e.table.at.push_back(row.at.seconds);
  e.table.value_before.push_back(row.value_before);
  e.table.value_after.push_back(row.value_after);
  e.by_user_id.push_back(opt_id(row.by_user));
  e.line.push_back(line);
}

namespace {
void require_length(std::size_t n, std::span<const std::int64_t> col, bool optional, const char* table,
                    const char* name) {
  if ((optional && col.empty()) || col.size() == n) return;
  throw Error(ErrorCode::invalid_data,
              Problem{std::string("columns:") + table, 0, name, std::to_string(col.size()),
                      "column length differs from the id column's (" + std::to_string(n) + ")"});
}
std::int64_t at_or(std::span<const std::int64_t> col, std::size_t i, std::int64_t dflt) {
  return col.empty() ? dflt : col[i];
}
}  // namespace

void DatasetBuilder::add_deal_columns(const DealColumns& c) {
  const std::size_t n = c.id.size();
  require_length(n, c.pipeline_id, false, "deals", "pipeline_id");
  require_length(n, c.stage_id, false, "deals", "stage_id");
  require_length(n, c.created_at, false, "deals", "created_at");
  require_length(n, c.closed_at, true, "deals", "closed_at");
  require_length(n, c.budget_minor, true, "deals", "budget_minor");
  require_length(n, c.responsible_id, true, "deals", "responsible_id");
  auto& d = impl_->deals;
  d.id.insert(d.id.end(), c.id.begin(), c.id.end());
  for (auto id : c.pipeline_id) d.pipeline_id.push_back(d.pipeline_codes.code(id));
  for (auto id : c.stage_id) d.stage_id.push_back(d.stage_codes.code(id));
  d.created_at.insert(d.created_at.end(), c.created_at.begin(), c.created_at.end());
  const auto base_line = static_cast<std::int64_t>(d.line.size());
  for (std::size_t i = 0; i < n; ++i) {
    d.closed_at.push_back(at_or(c.closed_at, i, kNoTime));
    d.budget.push_back(at_or(c.budget_minor, i, 0));
    d.responsible_id.push_back(d.user_codes.code(at_or(c.responsible_id, i, kNoId)));
    d.contact.push_back(kNoId);
    d.company.push_back(kNoId);
    d.line.push_back(base_line + static_cast<std::int64_t>(i) + 1);
    d.name.push_back(0);
    d.channel.push_back(0);
    d.loss_reason.push_back(0);
    d.deleted.push_back(0);
    d.tags_offset.push_back(static_cast<std::uint32_t>(d.tags.size()));
  }
}

void DatasetBuilder::add_stage_change_columns(const StageChangeColumns& c) {
  const std::size_t n = c.deal_id.size();
  require_length(n, c.at, false, "stage_changes", "at");
  require_length(n, c.to_stage_id, false, "stage_changes", "to_stage_id");
  require_length(n, c.from_stage_id, true, "stage_changes", "from_stage_id");
  require_length(n, c.to_pipeline_id, true, "stage_changes", "to_pipeline_id");
  require_length(n, c.by_user_id, true, "stage_changes", "by_user_id");
  auto& s = impl_->changes;
  const auto base_line = static_cast<std::int64_t>(s.line.size());
  for (auto v : c.deal_id) s.deal_id.push_back(v);
  for (auto v : c.at) s.at.push_back(v);
  for (auto id : c.to_stage_id) s.to_stage.push_back(s.stage_codes.code(id));
  for (std::size_t i = 0; i < n; ++i) {
    s.from_stage.push_back(s.stage_codes.code(at_or(c.from_stage_id, i, kNoId)));
    s.from_pipeline.push_back(kNone);
    s.to_pipeline.push_back(s.pipeline_codes.code(at_or(c.to_pipeline_id, i, kNoId)));
    s.by_user.push_back(s.user_codes.code(at_or(c.by_user_id, i, kNoId)));
    s.line.push_back(base_line + static_cast<std::int64_t>(i) + 1);
  }
}

namespace {
// Appends `from` to `to`, mapping each value through `map` (kNone stays kNone).
void append_recoded(std::vector<std::uint32_t>& to, const std::vector<std::uint32_t>& from,
                    const std::vector<std::uint32_t>& map) {
  const std::size_t base = to.size();
  to.resize(base + from.size());
  for (std::size_t i = 0; i < from.size(); ++i) to[base + i] = from[i] == kNone ? kNone : map[from[i]];
}
template <class T>
void append_moved(std::vector<T>& to, std::vector<T>& from) {
  if (to.empty() && to.capacity() < from.size()) {
    to = std::move(from);
  } else {
    to.insert(to.end(), from.begin(), from.end());
  }
  release(from);
}
}  // namespace

void DatasetBuilder::append_deals(DatasetBuilder&& part, std::int64_t line_offset) {
  auto& d = impl_->deals;
  auto& p = part.impl_->deals;
  const auto pipelines = d.pipeline_codes.recode(p.pipeline_codes);
  const auto stages = d.stage_codes.recode(p.stage_codes);
  const auto users = d.user_codes.recode(p.user_codes);
  const auto& pool = part.impl_->strings;
  std::vector<StrCode> strs(pool.size());
  for (std::size_t i = 0; i < strs.size(); ++i) strs[i] = impl_->strings.intern(pool.view(static_cast<StrCode>(i)));
  append_recoded(d.pipeline_id, p.pipeline_id, pipelines);
  append_recoded(d.stage_id, p.stage_id, stages);
  append_recoded(d.responsible_id, p.responsible_id, users);
  for (auto* col : {&p.name, &p.channel, &p.loss_reason, &p.tags})
    for (auto& c : *col) c = strs[c];
  const std::uint32_t tag_base = d.tags_offset.back();
  for (std::size_t i = 1; i < p.tags_offset.size(); ++i) d.tags_offset.push_back(tag_base + p.tags_offset[i]);
  append_moved(d.id, p.id);
  append_moved(d.created_at, p.created_at);
  append_moved(d.closed_at, p.closed_at);
  append_moved(d.budget, p.budget);
  append_moved(d.contact, p.contact);
  append_moved(d.company, p.company);
  append_moved(d.name, p.name);
  append_moved(d.channel, p.channel);
  append_moved(d.loss_reason, p.loss_reason);
  append_moved(d.deleted, p.deleted);
  append_moved(d.tags, p.tags);
  d.line.append(p.line, line_offset);
  part.impl_->deals = DealStage{};
}

void DatasetBuilder::append_stage_changes(DatasetBuilder&& part, std::int64_t line_offset) {
  auto& c = impl_->changes;
  auto& p = part.impl_->changes;
  const auto pipelines = c.pipeline_codes.recode(p.pipeline_codes);
  const auto stages = c.stage_codes.recode(p.stage_codes);
  const auto users = c.user_codes.recode(p.user_codes);
  c.deal_id.append(p.deal_id);
  c.at.append(p.at);
  c.from_pipeline.append_mapped(p.from_pipeline, pipelines);
  c.to_pipeline.append_mapped(p.to_pipeline, pipelines);
  c.from_stage.append_mapped(p.from_stage, stages);
  c.to_stage.append_mapped(p.to_stage, stages);
  c.by_user.append_mapped(p.by_user, users);
  c.line.append(p.line, line_offset);
  part.impl_->changes = ChangeStage{};
}

void DatasetBuilder::reserve(std::size_t deals, std::size_t stage_changes) {
  auto& d = impl_->deals;
  for (auto* v : {&d.id, &d.created_at, &d.closed_at, &d.budget, &d.contact, &d.company}) v->reserve(deals);
  for (auto* v : {&d.pipeline_id, &d.stage_id, &d.responsible_id}) v->reserve(deals);
  for (auto* v : {&d.name, &d.channel, &d.loss_reason}) v->reserve(deals);
  d.deleted.reserve(deals);
  d.tags_offset.reserve(deals + 1);
  auto& c = impl_->changes;
  for (auto* v : {&c.deal_id, &c.at}) v->reserve(stage_changes);
  for (auto* v : {&c.from_pipeline, &c.from_stage, &c.to_pipeline, &c.to_stage, &c.by_user}) v->reserve(stage_changes);
}

// ---------------------------------------------------------------------------
// build()

namespace {

// Collects problems under one policy: strict throws the first, lenient lists them. Every source
// passed to report() is one of the builder's own source strings, so its address names the table
// whose locator (if any) rewrites the problem.
class Reporter {
 public:
  Reporter(ValidationPolicy policy, Problems& out, const std::array<std::string, 14>& sources,
           const std::array<ProblemLocator, 14>& locators)
      : policy_(policy), out_(out), sources_(sources), locators_(locators) {}
  void report(const std::string& source, std::int64_t line, const char* field, std::string value,
              std::string message) {
    Problem p{source, line, field, std::move(value), std::move(message)};
    for (std::size_t t = 0; t < sources_.size(); ++t)
      if (&source == &sources_[t] && locators_[t]) locators_[t](p);
    if (policy_ == ValidationPolicy::strict) throw Error(ErrorCode::invalid_data, std::move(p));
    out_.push_back(std::move(p));
  }

 private:
  ValidationPolicy policy_;
  Problems& out_;
  const std::array<std::string, 14>& sources_;
  const std::array<ProblemLocator, 14>& locators_;
};

std::string num(std::int64_t v) { return v == kNoId ? std::string() : std::to_string(v); }

// Funnel order within a pipeline: unsorted, open (by sort), won, lost; ties by sort then id.
int kind_rank(StageKind k) {
  switch (k) {
    case StageKind::unsorted: return 0;
    case StageKind::open: return 1;
    case StageKind::won: return 2;
    case StageKind::lost: return 3;
  }
  return 4;
}

struct StageKeyMap {
  // (pipeline row, stage id) -> stage row; pipeline rows are few, so one IdMap per pipeline.
  std::vector<detail::IdMap> per_pipeline;
  std::uint32_t find(std::uint32_t pipeline, std::int64_t stage_id) const {
    return pipeline < per_pipeline.size() ? per_pipeline[pipeline].find(stage_id) : kNone;
  }
};

// Faults in the memory pages wholly inside [b, e) (reserved, not yet used vector capacity) for writing,
// so the threads that call it share the page-fault work. No-op outside Linux or on older kernels.
template <class T>
void prefault(T* b, T* e) {
#if defined(__linux__) && defined(MADV_POPULATE_WRITE)
  static const auto page = static_cast<std::uintptr_t>(sysconf(_SC_PAGESIZE));
  const auto pb = (reinterpret_cast<std::uintptr_t>(b) + page - 1) & ~(page - 1);
  const auto pe = reinterpret_cast<std::uintptr_t>(e) & ~(page - 1);
  if (pe > pb) madvise(reinterpret_cast<void*>(pb), pe - pb, MADV_POPULATE_WRITE);
#else
  (void)b;
  (void)e;
#endif
}

// A problem a worker thread found in a row of its block; reported later on the calling thread, in row
// order (line 0: looked up then).
struct Found {
  std::size_t row;
  std::int64_t line;
  const char* field;
  std::string value, message;
};

// Checks rows [lo, hi) in blocks of `block` rows, one block at a time per thread on `threads` threads:
// check(b, e, found) lists block [b, e)'s problems in `found`, in row order. Then, on the calling thread,
// report(b, e, found) is called for each block in block order, so the problems come in the order one
// pass over the rows finds them (a strict build throws the first). `found` is scratch kept between
// calls (one list per block; each emptied after its report).
template <class Check, class Report>
void check_in_blocks(std::size_t lo, std::size_t hi, std::size_t block, unsigned threads,
                     std::vector<std::vector<Found>>& found, Check check, Report report) {
  const std::size_t n_blocks = (hi - lo + block - 1) / block;
  if (found.size() < n_blocks) found.resize(n_blocks);
  detail::for_each_index(n_blocks, threads, [&](std::size_t k) {
    const std::size_t b = lo + k * block;
    check(b, std::min(hi, b + block), found[k]);
  });
  for (std::size_t k = 0; k < n_blocks; ++k) {
    const std::size_t b = lo + k * block;
    report(b, std::min(hi, b + block), found[k]);
    found[k].clear();
  }
}

// Keeps the good rows of a staged column set.
template <class T>
void compact(std::vector<T>& v, const std::vector<std::uint8_t>& keep) {
  std::size_t w = 0;
  for (std::size_t i = 0; i < v.size(); ++i)
    if (keep[i]) v[w++] = std::move(v[i]);
  v.resize(w);
}

}  // namespace

BuildResult DatasetBuilder::build(ValidationPolicy policy) && {
  Impl& in = *impl_;
  BuildResult result;
  Reporter rep(policy, result.problems, in.sources, in.locators);
  auto src = [&](Table t) -> const std::string& { return in.sources[static_cast<std::size_t>(t)]; };
  std::unique_ptr<Dataset> ds(new Dataset());
  ds->account_ = std::move(in.account);

  // Pipelines.
  detail::IdMap pipeline_rows;
  for (auto& [row, line] : in.pipelines) {
    auto r = static_cast<std::uint32_t>(ds->pipelines_.id.size());
    if (pipeline_rows.insert(row.id.value, r) != detail::IdMap::kMissing) {
      rep.report(src(Table::pipelines), line, "id", num(row.id.value), "duplicate pipeline id");
      continue;
    }
    ds->pipelines_.id.push_back(row.id.value);
    ds->pipelines_.name.push_back(in.strings.intern(row.name));
  }
  const std::size_t n_pipelines = ds->pipelines_.id.size();

  // Stages.
  StageKeyMap stage_rows;
  stage_rows.per_pipeline.resize(n_pipelines);
  for (auto& [row, line] : in.stages) {
    std::uint32_t p = pipeline_rows.find(row.pipeline.value);
    if (p == kNone) {
      rep.report(src(Table::stages), line, "pipeline_id", num(row.pipeline.value), "unknown pipeline id");
      continue;
    }
    auto r = static_cast<std::uint32_t>(ds->stages_.id.size());
    if (stage_rows.per_pipeline[p].insert(row.id.value, r) != detail::IdMap::kMissing) {
      rep.report(src(Table::stages), line, "id", num(row.id.value), "duplicate stage id in its pipeline");
      continue;
    }
    auto& st = ds->stages_;
    st.id.push_back(row.id.value);
    st.pipeline.push_back(p);
    st.name.push_back(in.strings.intern(row.name));
    st.sort.push_back(row.sort);
    st.kind.push_back(row.kind);
  }
  {
    auto& st = ds->stages_;
    auto& pl = ds->pipelines_;
    std::vector<std::uint32_t> order(st.id.size());
    std::iota(order.begin(), order.end(), 0u);
    std::stable_sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) {
      if (st.pipeline[a] != st.pipeline[b]) return st.pipeline[a] < st.pipeline[b];
      int ka = kind_rank(st.kind[a]), kb = kind_rank(st.kind[b]);
      if (ka != kb) return ka < kb;
      if (st.sort[a] != st.sort[b]) return st.sort[a] < st.sort[b];
      return st.id[a] < st.id[b];
    });
    st.position.assign(st.id.size(), 0);
    pl.stages_offset.assign(n_pipelines + 1, 0);
    for (auto s : order) ++pl.stages_offset[st.pipeline[s] + 1];
    for (std::size_t p = 0; p < n_pipelines; ++p) pl.stages_offset[p + 1] += pl.stages_offset[p];
    pl.stages_ordered = order;
    for (std::size_t i = 0; i < order.size(); ++i)
      st.position[order[i]] = static_cast<std::uint32_t>(i - pl.stages_offset[st.pipeline[order[i]]]);
  }

  // Users and groups.
  detail::IdMap user_rows;
  {
    std::vector<StrCode> group_of_code;  // StrCode -> group index + 1 (0 = not yet)
    auto& u = ds->users_;
    for (auto& [row, line] : in.users) {
      auto r = static_cast<std::uint32_t>(u.id.size());
      if (user_rows.insert(row.id.value, r) != detail::IdMap::kMissing) {
        rep.report(src(Table::users), line, "id", num(row.id.value), "duplicate user id");
        continue;
      }
      u.id.push_back(row.id.value);
      u.name.push_back(in.strings.intern(row.name));
      std::uint32_t g = kNone;
      if (!row.group.empty()) {
        StrCode code = in.strings.intern(row.group);
        if (group_of_code.size() <= code) group_of_code.resize(code + 1, 0);
        if (group_of_code[code] == 0) {
          u.group_name.push_back(code);
          group_of_code[code] = static_cast<StrCode>(u.group_name.size());
        }
        g = group_of_code[code] - 1;
      }
      u.group.push_back(g);
    }
  }
  // The row of user `id` (kNone when no id is given); an unknown id goes to report(field, value, message)
  // and clears ok. Safe on build()'s worker threads when `report` is (the lookups only read).
  auto user_row = [&](std::int64_t id, const char* field, bool& ok, auto&& report) -> std::uint32_t {
    if (id == kNoId) return kNone;
    const std::uint32_t u = user_rows.find(id);
    if (u == kNone) {
      report(field, num(id), std::string("unknown user id"));
      ok = false;
    }
    return u;
  };
  // user_row, reporting straight to the build's problems.
  auto resolve_user = [&](std::int64_t id, Table t, std::int64_t line, const char* field, bool& ok) -> std::uint32_t {
    return user_row(id, field, ok, [&](const char* f, std::string value, std::string message) {
      rep.report(src(t), line, f, std::move(value), std::move(message));
    });
  };

  // Deals.
  std::optional<DealRows> deal_rows;
  {
    auto& sd = in.deals;
    const std::size_t n = sd.id.size();
    const std::string& s = src(Table::deals);
    std::vector<std::uint8_t> keep(n, 1);
    // The staged code columns are overwritten in place by the final rows (kNone where unresolved).
    auto& pipeline = sd.pipeline_id;
    auto& stage = sd.stage_id;
    auto& responsible = sd.responsible_id;
    deal_rows.emplace(sd.id);
    // Checked in blocks on several threads, each block listing its problems (check_in_blocks); then one
    // pass in row order reports them and, for the rows still good, finds duplicate ids (the first row of an
    // id wins), so problems come in the order one pass finds them.
    const std::size_t block = in.build_block_rows != 0 ? in.build_block_rows : kDropEvery;
    std::vector<std::vector<Found>> found;
    std::uint32_t next = 0;  // kept deals so far
    auto check = [&](std::size_t lo, std::size_t hi, std::vector<Found>& out) {
      for (std::size_t i = lo; i < hi; ++i) {
        auto report = [&](const char* field, std::string value, std::string message) {
          out.push_back({i, 0, field, std::move(value), std::move(message)});
        };
        const std::int64_t pipeline_id = sd.pipeline_codes.id(pipeline[i]);
        const std::int64_t stage_id = sd.stage_codes.id(stage[i]);
        const std::int64_t responsible_id = sd.user_codes.id(responsible[i]);
        pipeline[i] = kNone;
        stage[i] = kNone;
        bool ok = true;
        std::uint32_t p = pipeline_rows.find(pipeline_id);
        if (p == kNone) {
          report("pipeline_id", num(pipeline_id), "unknown pipeline id");
          ok = false;
        } else {
          std::uint32_t st = stage_rows.find(p, stage_id);
          if (st == kNone) {
            bool elsewhere = false;
            for (std::uint32_t q = 0; q < n_pipelines && !elsewhere; ++q) elsewhere = stage_rows.find(q, stage_id) != kNone;
            report("stage_id", num(stage_id),
                   elsewhere ? "stage does not belong to the deal's pipeline " + num(pipeline_id)
                             : std::string("unknown stage id"));
            ok = false;
          } else {
            pipeline[i] = p;
            stage[i] = st;
            const bool closed = is_closed_kind(ds->stages_.kind[st]);
            if (closed && sd.closed_at[i] == kNoTime) {
              report("closed_at", "", "closed_at is missing on a won or lost deal");
              ok = false;
            } else if (!closed && sd.closed_at[i] != kNoTime) {
              report("closed_at", num(sd.closed_at[i]), "closed_at is set on an active deal");
              ok = false;
            }
          }
        }
        if (!time_in_range(sd.created_at[i])) {
          report("created_at", num(sd.created_at[i]), "timestamp out of range (1970..2100)");
          ok = false;
        }
        if (sd.closed_at[i] != kNoTime && ok) {
          if (!time_in_range(sd.closed_at[i])) {
            report("closed_at", num(sd.closed_at[i]), "timestamp out of range (1970..2100)");
            ok = false;
          } else if (sd.closed_at[i] < sd.created_at[i]) {
            report("closed_at", num(sd.closed_at[i]), "deal closed before it was created");
            ok = false;
          }
        }
        if (sd.budget[i] < 0) {
          report("budget", num(sd.budget[i]), "negative budget");
          ok = false;
        }
        responsible[i] = user_row(responsible_id, "responsible_user_id", ok, report);
        keep[i] = ok;
      }
    };
    auto report = [&](std::size_t lo, std::size_t hi, std::vector<Found>& out) {
      std::size_t f = 0;
      for (std::size_t i = lo; i < hi; ++i) {
        for (; f < out.size() && out[f].row == i; ++f)
          rep.report(s, sd.line[i], out[f].field, std::move(out[f].value), std::move(out[f].message));
        if (!keep[i]) continue;
        if (deal_rows->insert(sd.id[i], next) != kNone) {
          rep.report(s, sd.line[i], "id", num(sd.id[i]), "duplicate deal id");
          keep[i] = 0;
          continue;
        }
        ++next;
      }
    };
    check_in_blocks(0, n, block, detail::resolve_threads(in.build_threads, n, block), found, check, report);
    release(found);
    auto& d = ds->deals_;
    if (next == n) {  // every deal kept (the usual file): the staged columns are the final ones
      d.tags = std::move(sd.tags);
      d.tags_offset = std::move(sd.tags_offset);
    } else {
      // Tags are CSR; rebuild them for the kept rows before compacting offsets.
      for (std::size_t i = 0; i < n; ++i) {
        if (!keep[i]) continue;
        d.tags.insert(d.tags.end(), sd.tags.begin() + sd.tags_offset[i], sd.tags.begin() + sd.tags_offset[i + 1]);
      }
      d.tags_offset.reserve(next + 1);
      d.tags_offset.push_back(0);
      for (std::size_t i = 0; i < n; ++i)
        if (keep[i]) d.tags_offset.push_back(d.tags_offset.back() + (sd.tags_offset[i + 1] - sd.tags_offset[i]));
      compact(pipeline, keep);
      compact(stage, keep);
      compact(responsible, keep);
      compact(sd.id, keep);
      compact(sd.created_at, keep);
      compact(sd.closed_at, keep);
      compact(sd.budget, keep);
      compact(sd.contact, keep);
      compact(sd.company, keep);
      compact(sd.name, keep);
      compact(sd.channel, keep);
      compact(sd.loss_reason, keep);
      compact(sd.deleted, keep);
    }
    d.id = std::move(sd.id);
    d.name = std::move(sd.name);
    d.pipeline = std::move(pipeline);
    d.stage = std::move(stage);
    d.created_at = std::move(sd.created_at);
    d.closed_at = std::move(sd.closed_at);
    d.budget_minor = std::move(sd.budget);
    d.responsible = std::move(responsible);
    d.channel = std::move(sd.channel);
    d.loss_reason = std::move(sd.loss_reason);
    d.contact_id = std::move(sd.contact);
    d.company_id = std::move(sd.company);
    d.deleted = std::move(sd.deleted);
    // find_deal index.
    ds->deal_by_id_.resize(d.id.size());
    std::iota(ds->deal_by_id_.begin(), ds->deal_by_id_.end(), 0u);
    if (!std::is_sorted(d.id.begin(), d.id.end()))
      std::sort(ds->deal_by_id_.begin(), ds->deal_by_id_.end(),
                [&](std::uint32_t a, std::uint32_t b) { return d.id[a] < d.id[b]; });
    in.deals = DealStage{};
  }

  // Stage changes -> path index.
  {
    auto& c = in.changes;
    const std::size_t n = c.deal_id.size();
    const std::string& s = src(Table::stage_changes);
    const auto& d = ds->deals_;
    // Written for every row whose deal is known (only those are read), so left uninitialised: its pages
    // are touched as it fills while the consumed staging is dropped.
    std::unique_ptr<std::uint32_t[]> deal(new std::uint32_t[n]);
    // The staged code columns are overwritten in place by stage and user rows.
    auto& to = c.to_stage;
    auto& from = c.from_stage;
    auto& by = c.by_user;
    std::vector<std::uint8_t> keep(n, 1);
    // Rows are validated in blocks of `block` rows, `threads` blocks a round, one thread a block; a block
    // lists its problems, reported in block order after its round: the order one pass finds them in (a
    // strict build throws the first). A round's consumed staging is dropped before the next. Codes::set
    // widens a 16-bit column when a row number does not fit: with that many stages or users, one thread.
    const std::size_t block = in.build_block_rows != 0 ? in.build_block_rows : kDropEvery;
    const bool narrow_rows = ds->stages_.id.size() < 0xFFFF && ds->users_.id.size() < 0xFFFF;
    const unsigned threads = narrow_rows ? detail::resolve_threads(in.build_threads, n, block) : 1u;
    auto validate = [&](std::size_t lo, std::size_t hi, std::vector<Found>& found) {
      std::uint32_t last_deal = kNone;
      std::int64_t last_deal_id = kNoId;
      for (std::size_t i = lo; i < hi; ++i) {
        const std::int64_t line = c.line[i];
        auto report = [&](const char* field, std::string value, std::string message) {
          found.push_back({i, line, field, std::move(value), std::move(message)});
        };
        const std::int64_t to_pipeline_id = c.pipeline_codes.id(c.to_pipeline[i]);
        const std::int64_t from_pipeline_id = c.pipeline_codes.id(c.from_pipeline[i]);
        const std::int64_t to_stage_id = c.stage_codes.id(to[i]);
        const std::int64_t from_stage_id = c.stage_codes.id(from[i]);
        const std::int64_t by_user_id = c.user_codes.id(by[i]);
        bool ok = true;
        std::uint32_t dr = (c.deal_id[i] == last_deal_id && last_deal != kNone) ? last_deal : deal_rows->find(c.deal_id[i]);
        last_deal_id = c.deal_id[i];
        last_deal = dr;
        if (dr == kNone) {
          report("deal_id", num(c.deal_id[i]), "unknown deal id (or its deal was left out)");
          keep[i] = 0;
          continue;
        }
        deal[i] = dr;
        const std::uint32_t deal_pipeline = d.pipeline[dr];
        auto stage_in = [&](std::int64_t pipeline_id, std::int64_t fallback_pipeline_id, std::uint32_t dflt,
                            std::int64_t stage_id, const char* pfield, const char* sfield) -> std::uint32_t {
          std::uint32_t p = dflt;
          std::int64_t pid = pipeline_id != kNoId ? pipeline_id : fallback_pipeline_id;
          if (pid != kNoId) {
            p = pipeline_rows.find(pid);
            if (p == kNone) {
              report(pfield, num(pid), "unknown pipeline id");
              ok = false;
              return kNone;
            }
          }
          std::uint32_t st = stage_rows.find(p, stage_id);
          if (st == kNone) {
            report(sfield, num(stage_id), "stage is not in pipeline " + num(ds->pipelines_.id[p]));
            ok = false;
          }
          return st;
        };
        to.set(i, stage_in(to_pipeline_id, kNoId, deal_pipeline, to_stage_id, "to_pipeline_id", "to_stage_id"));
        from.set(i, kNone);
        if (ok && from_stage_id != kNoId)
          from.set(i, stage_in(from_pipeline_id, to_pipeline_id, deal_pipeline, from_stage_id, "from_pipeline_id",
                               "from_stage_id"));
        if (!time_in_range(c.at[i])) {
          report("at", num(c.at[i]), "timestamp out of range (1970..2100)");
          ok = false;
        } else if (c.at[i] < d.created_at[dr]) {
          report("at", num(c.at[i]), "stage change before the deal was created");
          ok = false;
        }
        by.set(i, user_row(by_user_id, "by_user_id", ok, report));
        keep[i] = ok;
      }
    };
    auto report = [&](std::size_t, std::size_t, std::vector<Found>& found) {
      for (auto& f : found) rep.report(s, f.line, f.field, std::move(f.value), std::move(f.message));
    };
    std::vector<std::vector<Found>> found;
    for (std::size_t r0 = 0; r0 < n; r0 += block * threads) {
      if (r0 > 0) {
        c.deal_id.drop_prefix(r0);
        c.from_pipeline.drop_prefix(r0);
        c.to_pipeline.drop_prefix(r0);
      }
      check_in_blocks(r0, std::min(n, r0 + block * threads), block, threads, found, validate, report);
    }
    release(c.deal_id);
    deal_rows.reset();  // up to 64 bytes a deal as an IdMap: the largest thing build() holds
    release(c.from_pipeline);
    release(c.to_pipeline);
    c.line = LineColumn();
    // A creation record (no from-stage) is the deal's creation: it sorts at created_at and before any
    // change at that instant, whatever its own stamp or place in the input.
    auto key_at = [&](std::uint32_t i) { return from[i] == kNone ? d.created_at[deal[i]] : c.at[i]; };
    auto before = [&](std::uint32_t a, std::uint32_t b) {
      if (deal[a] != deal[b]) return deal[a] < deal[b];
      const std::int64_t ta = key_at(a), tb = key_at(b);
      if (ta != tb) return ta < tb;
      return from[a] == kNone && from[b] != kNone;
    };
    // Kept changes and whether they are already in order: per block (first and last kept row, n if
    // none), then across the blocks' seams.
    struct Run {
      std::size_t count = 0, first = 0, last = 0;
      bool sorted = true;
    };
    const std::size_t n_runs = (n + block - 1) / block;
    std::vector<Run> runs(n_runs);
    detail::for_each_index(n_runs, threads, [&](std::size_t r) {
      Run& run = runs[r];
      run.first = run.last = n;
      for (std::size_t i = r * block, end = std::min(n, i + block); i < end; ++i) {
        if (!keep[i]) continue;
        ++run.count;
        if (run.first == n) run.first = i;
        if (run.sorted && run.last != n && before(static_cast<std::uint32_t>(i), static_cast<std::uint32_t>(run.last)))
          run.sorted = false;
        run.last = i;
      }
    });
    std::size_t count = 0;  // kept changes
    bool sorted = true;
    for (std::size_t r = 0, prev = n; r < n_runs; ++r) {
      const Run& run = runs[r];
      count += run.count;
      if (run.count == 0) continue;
      if (!run.sorted || (prev != n && before(static_cast<std::uint32_t>(run.first), static_cast<std::uint32_t>(prev))))
        sorted = false;
      prev = run.last;
    }
    release(runs);
    // Order of kept changes by (deal, at, input order). Empty when every change is kept and already in
    // that order (the usual file): the k-th change is then row k, and no 4-byte-a-change index is held.
    std::vector<std::uint32_t> order;
    if (!sorted || count != n) {
      order.reserve(count);
      for (std::size_t i = 0; i < n; ++i)
        if (keep[i]) order.push_back(static_cast<std::uint32_t>(i));
      if (!sorted) std::stable_sort(order.begin(), order.end(), before);
    }
    release(keep);
    auto nth = [&](std::size_t k) -> std::uint32_t { return order.empty() ? static_cast<std::uint32_t>(k) : order[k]; };

    const std::size_t n_deals = d.id.size();
    auto& pi = ds->paths_;
    // The path of deal dr from its kept changes nth(b) .. nth(e - 1): out(stage, at, user, implied) per entry.
    auto walk = [&](std::uint32_t dr, std::size_t b, std::size_t e, auto&& out) {
      const std::uint32_t current = d.stage[dr];
      const bool closed = is_closed_kind(ds->stages_.kind[current]);
      if (b == e) {
        out(current, closed ? d.closed_at[dr] : d.created_at[dr], kNone, std::uint8_t{0});
        return;
      }
      std::uint32_t last_stage = kNone;
      std::int64_t last_at = 0;
      auto put = [&](std::uint32_t st, std::int64_t at, std::uint32_t user, std::uint8_t implied) {
        last_stage = st;
        last_at = at;
        out(st, at, user, implied);
      };
      const std::size_t first = nth(b);
      if (from[first] == kNone) {
        put(to[first], d.created_at[dr], by[first], 0);  // SPEC 1: the creation stage at created_at
        ++b;
      } else {
        put(from[first], d.created_at[dr], kNone, 0);
      }
      for (std::size_t j = b; j < e; ++j) {
        const std::uint32_t i = nth(j);
        if (to[i] == last_stage) continue;  // a move to the stage it is in changes nothing
        put(to[i], key_at(i), by[i], 0);    // a later creation record also enters at created_at
      }
      if (last_stage != current) put(current, closed ? std::max(last_at, d.closed_at[dr]) : last_at, kNone, 1);
    };
    // Blocks of about `block` kept changes, cut at deal boundaries: block t holds the deals
    // [deal_at[t], deal_at[t + 1]) and their changes [k_at[t], k_at[t + 1]).
    const std::size_t n_blocks = std::max<std::size_t>(1, (count + block - 1) / block);
    std::vector<std::size_t> deal_at(n_blocks + 1, 0), k_at(n_blocks + 1, 0);
    deal_at[n_blocks] = n_deals;
    k_at[n_blocks] = count;
    for (std::size_t t = 1; t < n_blocks; ++t) {
      const std::uint32_t dr = deal[nth(t * block)];
      std::size_t lo = k_at[t - 1], hi = t * block;  // the first k whose deal is dr lies in [lo, hi]
      while (lo < hi) {
        const std::size_t mid = lo + (hi - lo) / 2;
        if (deal[nth(mid)] < dr) lo = mid + 1; else hi = mid;
      }
      deal_at[t] = dr;
      k_at[t] = lo;
    }
    // Each deal's first change in its block, found by the scan both passes make.
    auto for_deals = [&](std::size_t t, auto&& fn) {
      std::size_t k = k_at[t];
      for (std::size_t dr = deal_at[t]; dr < deal_at[t + 1]; ++dr) {
        const std::size_t b = k;
        while (k < k_at[t + 1] && deal[nth(k)] == dr) ++k;
        fn(static_cast<std::uint32_t>(dr), b, k);
      }
    };
    // Pass 1: each deal's number of entries, then the offsets.
    const unsigned fill_threads = detail::resolve_threads(in.build_threads, n_blocks, 1);
    pi.offset.assign(n_deals + 1, 0);
    detail::for_each_index(n_blocks, fill_threads, [&](std::size_t t) {
      for_deals(t, [&](std::uint32_t dr, std::size_t b, std::size_t e) {
        std::uint32_t entries = 0;
        walk(dr, b, e, [&](std::uint32_t, std::int64_t, std::uint32_t, std::uint8_t) { ++entries; });
        pi.offset[dr + 1] = entries;
      });
    });
    for (std::size_t dr = 0; dr < n_deals; ++dr) pi.offset[dr + 1] += pi.offset[dr];
    const std::size_t entries = pi.offset[n_deals];
    pi.stage.reserve(entries);
    pi.entered_at.reserve(entries);
    pi.by_user.reserve(entries);
    pi.implied.reserve(entries);
    // Pass 2: fill, `fill_threads` blocks a round; the columns grow a round at a time (within their
    // reserve) while the consumed staging is dropped (only when order is empty: rows are then k).
    for (std::size_t t0 = 0; t0 < n_blocks; t0 += fill_threads) {
      const std::size_t t1 = std::min(n_blocks, t0 + fill_threads);
      const std::size_t end = pi.offset[deal_at[t1]];
      // The round's new pages are faulted in on every thread: resize() then only zeroes them.
      const std::size_t from_entry = pi.stage.size();
      detail::for_each_index(fill_threads, fill_threads, [&](std::size_t u) {
        const std::size_t a = from_entry + (end - from_entry) * u / fill_threads;
        const std::size_t z = from_entry + (end - from_entry) * (u + 1) / fill_threads;
        prefault(pi.stage.data() + a, pi.stage.data() + z);
        prefault(pi.entered_at.data() + a, pi.entered_at.data() + z);
        prefault(pi.by_user.data() + a, pi.by_user.data() + z);
        prefault(pi.implied.data() + a, pi.implied.data() + z);
      });
      pi.stage.resize(end);
      pi.entered_at.resize(end);
      pi.by_user.resize(end);
      pi.implied.resize(end);
      detail::for_each_index(t1 - t0, fill_threads, [&](std::size_t u) {
        for_deals(t0 + u, [&](std::uint32_t dr, std::size_t b, std::size_t e) {
          std::size_t w = pi.offset[dr];
          walk(dr, b, e, [&](std::uint32_t st, std::int64_t at, std::uint32_t user, std::uint8_t implied) {
            pi.stage[w] = st;
            pi.entered_at[w] = at;
            pi.by_user[w] = user;
            pi.implied[w] = implied;
            ++w;
          });
        });
      });
      if (order.empty() && t1 < n_blocks) {
        const std::size_t k = k_at[t1];
        c.at.drop_prefix(k);
        from.drop_prefix(k);
        to.drop_prefix(k);
        by.drop_prefix(k);
        drop_consumed(deal.get(), k);
      }
    }
    in.changes = ChangeStage{};
  }

  // Tasks.
  {
    auto& t = in.tasks;
    auto& out = ds->tasks_;
    const std::string& s = src(Table::tasks);
    detail::IdMap seen;
    seen.reserve(t.id.size());
    for (std::size_t i = 0; i < t.id.size(); ++i) {
      bool ok = true;
      const std::int64_t line = t.line[i];
      std::uint32_t u = resolve_user(t.responsible_id[i], Table::tasks, line, "responsible_user_id", ok);
      for (auto [v, f] : {std::pair{t.created_at[i], "created_at"}, std::pair{t.due_at[i], "due_at"},
                          std::pair{t.completed_at[i], "completed_at"}}) {
        if (v != kNoTime && !time_in_range(v) && ok) {
          rep.report(s, line, f, num(v), "timestamp out of range (1970..2100)");
          ok = false;
        }
      }
      if (ok && seen.insert(t.id[i], 0) != detail::IdMap::kMissing) {
        rep.report(s, line, "id", num(t.id[i]), "duplicate task id");
        ok = false;
      }
      if (!ok) continue;
      out.id.push_back(t.id[i]);
      out.responsible.push_back(u);
      out.created_at.push_back(t.created_at[i]);
      out.due_at.push_back(t.due_at[i]);
      out.completed_at.push_back(t.completed_at[i]);
      out.entity_type.push_back(t.entity_type[i]);
      out.entity_id.push_back(t.entity_id[i]);
      out.type.push_back(t.type[i]);
    }
  }

  // Contacts, companies, customers, invoices.
  auto build_simple = [&](SimpleStage& st, SimpleEntityTable& out, Table t, const char* what) {
    detail::IdMap seen;
    seen.reserve(st.id.size());
    const std::string& s = src(t);
    for (std::size_t i = 0; i < st.id.size(); ++i) {
      bool ok = true;
      const std::int64_t line = st.line[i];
      std::uint32_t u = resolve_user(st.responsible_id[i], t, line, "responsible_user_id", ok);
      if (ok && !time_in_range(st.created_at[i])) {
        rep.report(s, line, "created_at", num(st.created_at[i]), "timestamp out of range (1970..2100)");
        ok = false;
      }
      if (ok && seen.insert(st.id[i], 0) != detail::IdMap::kMissing) {
        rep.report(s, line, "id", num(st.id[i]), std::string("duplicate ") + what + " id");
        ok = false;
      }
      if (!ok) continue;
      out.id.push_back(st.id[i]);
      out.created_at.push_back(st.created_at[i]);
      out.responsible.push_back(u);
    }
  };
  build_simple(in.contacts, ds->contacts_, Table::contacts, "contact");
  build_simple(in.companies, ds->companies_, Table::companies, "company");
  build_simple(in.customers, ds->customers_, Table::customers, "customer");
  build_simple(in.invoices, ds->invoices_, Table::invoices, "invoice");

  // Purchases.
  {
    detail::IdMap seen;
    seen.reserve(in.purchases.size());
    const std::string& s = src(Table::purchases);
    for (auto& [row, line] : in.purchases) {
      if (!time_in_range(row.at.seconds)) {
        rep.report(s, line, "at", num(row.at.seconds), "timestamp out of range (1970..2100)");
        continue;
      }
      if (row.amount.minor < 0) {
        rep.report(s, line, "amount", num(row.amount.minor), "negative amount");
        continue;
      }
      if (seen.insert(row.id.value, 0) != detail::IdMap::kMissing) {
        rep.report(s, line, "id", num(row.id.value), "duplicate purchase id");
        continue;
      }
      auto& p = ds->purchases_;
      p.id.push_back(row.id.value);
      p.customer_id.push_back(opt_id(row.customer));
      p.at.push_back(row.at.seconds);
      p.amount_minor.push_back(row.amount.minor);
    }
  }

  // Unsorted items.
  {
    detail::IdMap seen;
    seen.reserve(in.unsorted.size());
    const std::string& s = src(Table::unsorted);
    for (auto& [row, line] : in.unsorted) {
      std::uint32_t p = kNone;
      if (row.pipeline) {
        p = pipeline_rows.find(row.pipeline->value);
        if (p == kNone) {
          rep.report(s, line, "pipeline_id", num(row.pipeline->value), "unknown pipeline id");
          continue;
        }
      }
      if (!time_in_range(row.created_at.seconds)) {
        rep.report(s, line, "created_at", num(row.created_at.seconds), "timestamp out of range (1970..2100)");
        continue;
      }
      if (row.resolved_at && row.resolved_at->seconds < row.created_at.seconds) {
        rep.report(s, line, "resolved_at", num(row.resolved_at->seconds), "resolved before it was created");
        continue;
      }
      if (row.outcome != UnsortedOutcome::pending && !row.resolved_at) {
        rep.report(s, line, "resolved_at", "", "resolved_at is missing on an accepted or declined item");
        continue;
      }
      if (seen.insert(row.id.value, 0) != detail::IdMap::kMissing) {
        rep.report(s, line, "id", num(row.id.value), "duplicate unsorted item id");
        continue;
      }
      auto& u = ds->unsorted_;
      u.id.push_back(row.id.value);
      u.channel.push_back(in.strings.intern(row.channel));
      u.created_at.push_back(row.created_at.seconds);
      u.resolved_at.push_back(opt_time(row.resolved_at));
      u.outcome.push_back(row.outcome);
      u.deal_id.push_back(opt_id(row.deal));
      u.pipeline.push_back(p);
    }
  }

  // Events: validated in place; bad rows are dropped by rebuilding only when needed.
  {
    auto& e = in.events;
    const std::size_t n = e.table.at.size();
    const std::string& s = src(Table::events);
    std::vector<std::uint8_t> keep(n, 1);
    std::vector<std::uint32_t> by(n, kNone);
    std::size_t bad = 0;
    for (std::size_t i = 0; i < n; ++i) {
      bool ok = true;
      const std::int64_t line = e.line[i];
      if (!time_in_range(e.table.at[i])) {
        rep.report(s, line, "created_at", num(e.table.at[i]), "timestamp out of range (1970..2100)");
        ok = false;
      }
      by[i] = resolve_user(e.by_user_id[i], Table::events, line, "created_by", ok);
      keep[i] = ok;
      bad += ok ? 0 : 1;
    }
    EventTable& out = ds->events_;
    if (bad == 0) {
      out = std::move(e.table);
      out.by_user = std::move(by);
    } else {
      for (std::size_t i = 0; i < n; ++i) {
        if (!keep[i]) continue;
        out.id.push_back(e.table.id[i]);
        out.type.push_back(e.table.type[i]);
        out.entity_type.push_back(e.table.entity_type[i]);
        out.entity_id.push_back(e.table.entity_id[i]);
        out.at.push_back(e.table.at[i]);
        out.by_user.push_back(by[i]);
        out.value_before.push_back(e.table.value_before[i]);
        out.value_after.push_back(e.table.value_after[i]);
      }
    }
  }

  ds->strings_ = std::move(in.strings);
  ds->cache_instants(in.build_threads);
  ds->index_deal_days();
  result.dataset = DatasetPtr(ds.release());
  return result;
}

}  // namespace v1
}  // namespace dealstat

