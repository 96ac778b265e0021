// The project's own CSV directory format: reading each entity's file into a
// DatasetBuilder (cell parsing with file/line/column problems), and writing
// a Dataset back out in the same format. docs/csv-format.md is the contract.
#include "dealstat/io/csv_directory.hpp"

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <fstream>

#include "dealstat/io/csv_reader.hpp"
#include "dealstat/io/value_parsers.hpp"
#include "io/csv_cells.hpp"
#include "io/csv_chunks.hpp"

namespace dealstat {
inline namespace v1 {

namespace fs = std::filesystem;

namespace {

using detail::Cells;
using detail::read_table;

StageKind parse_kind(Cells& c, std::size_t col) {
  auto t = c.text(col);
  if (t == "open" || t.empty()) return StageKind::open;
  if (t == "won") return StageKind::won;
  if (t == "lost") return StageKind::lost;
  if (t == "unsorted") return StageKind::unsorted;
  c.fail(col, t, "kind must be unsorted, open, won or lost");
}

UnsortedOutcome parse_outcome(Cells& c, std::size_t col) {
  auto t = c.text(col);
  if (t == "pending" || t.empty()) return UnsortedOutcome::pending;
  if (t == "accepted") return UnsortedOutcome::accepted;
  if (t == "declined") return UnsortedOutcome::declined;
  c.fail(col, t, "outcome must be accepted, declined or pending");
}

// The tags of a deal's tags cell (';'-separated, spaces around each trimmed, empty ones dropped), as
// views into the cell, in `out` (cleared first).
void split_tags(std::string_view s, std::vector<std::string_view>& out) {
  out.clear();
  std::size_t b = 0;
  while (b <= s.size()) {
    std::size_t e = s.find(';', b);
    if (e == std::string_view::npos) e = s.size();
    auto t = s.substr(b, e - b);
    while (!t.empty() && t.front() == ' ') t.remove_prefix(1);
    while (!t.empty() && t.back() == ' ') t.remove_suffix(1);
    if (!t.empty()) out.push_back(t);
    b = e + 1;
  }
}

template <class T>
std::optional<T> opt_typed(const std::optional<std::int64_t>& v) {
  return v ? std::optional<T>(T{*v}) : std::nullopt;
}

Account read_account(const fs::path& path, ValidationPolicy policy, Problems& problems, int& minor_digits) {
  Account account;
  if (!fs::exists(path)) return account;
  const std::string name = path.filename().string();
  std::size_t key = 0, value = 0;
  read_csv_file(
      path.string(),
      [&](const CsvHeader& h) {
        key = h.require("key", name);
        value = h.require("value", name);
      },
      [&](const CsvRecord& r) {
        auto k = key < r.fields.size() ? r.fields[key] : std::string_view();
        auto v = value < r.fields.size() ? std::string(r.fields[value]) : std::string();
        try {
          if (k == "time_zone") {
            account.time_zone = TimeZone::parse(v);
          } else if (k == "first_day_of_week") {
            account.first_day_of_week = parse_weekday(v);
          } else if (k == "currency") {
            account.currency = v;
          } else if (k == "currency_minor_digits") {
            auto d = try_parse_int(v);
            if (!d || *d < 0 || *d > 4) throw Error(ErrorCode::invalid_data, "minor digits must be 0..4");
            minor_digits = static_cast<int>(*d);
            account.minor_digits = minor_digits;
          }
        } catch (const Error& e) {
          Problem p{name, r.line, std::string(k), v, e.problem().message};
          if (policy == ValidationPolicy::strict) throw Error(ErrorCode::invalid_data, std::move(p));
          problems.push_back(std::move(p));
        }
      });
  return account;
}

std::string file_of(Table t) { return default_source(t); }

// Records in a CSV file, estimated from its size and the length of its first 64 KiB of lines (0 when
// unknown), so the builder can reserve its columns once instead of growing them by doubling: that saves
// the copies and keeps the load's peak memory near the final columns' size.
std::size_t estimate_records(const fs::path& path) {
  std::error_code ec;
  const auto size = fs::file_size(path, ec);
  if (ec || size == 0) return 0;
  std::ifstream f(path, std::ios::binary);
  std::string head(std::min<std::uintmax_t>(size, 64 * 1024), '\0');
  f.read(head.data(), static_cast<std::streamsize>(head.size()));
  head.resize(static_cast<std::size_t>(std::max<std::streamsize>(f.gcount(), 0)));
  const auto lines = static_cast<std::uintmax_t>(std::count(head.begin(), head.end(), '\n'));
  if (lines < 2) return 0;
  const std::uintmax_t estimate = size / std::max<std::uintmax_t>(1, head.size() / lines) + 16;
  return static_cast<std::size_t>(std::min<std::uintmax_t>(estimate + estimate / 50, std::uintmax_t{1} << 32));
}

}  // namespace

namespace detail {

void read_csv_directory_split(const std::string& dir_str, DatasetBuilder& b, ValidationPolicy policy,
                              Problems& problems, const CsvSplit& split) {
  const fs::path dir(dir_str);
  if (!fs::is_directory(dir)) throw Error(ErrorCode::io, Problem{dir_str, 0, "", "", "not a directory"});
  for (Table t : {Table::pipelines, Table::stages, Table::deals})
    if (!fs::exists(dir / file_of(t)))
      throw Error(ErrorCode::io, Problem{(dir / file_of(t)).string(), 0, "", "", "required file is missing"});

  int minor_digits = 2;
  Account account = read_account(dir / file_of(Table::account), policy, problems, minor_digits);
  const TimeZone tz = account.time_zone;
  b.set_account(account);
  auto source = [&](Table t) {
    b.set_source(t, file_of(t));
    return file_of(t);
  };
  auto table_to = [&](Problems& sink, Table t, auto setup) {
    const fs::path path = dir / file_of(t);
    if (!fs::exists(path)) return;
    read_table(path, source(t), policy, sink, tz, minor_digits, setup);
  };
  auto table = [&](Table t, auto setup) { table_to(problems, t, setup); };
  using Row = std::function<void(Cells&, std::int64_t)>;

  table(Table::users, [&](Cells& c) -> Row {
    auto id = c.col("id"), name = c.opt_col("name"), group = c.opt_col("group");
    return [=, &b](Cells& c, std::int64_t line) {
      b.add_user({UserId{c.req_int(id)}, std::string(c.text(name)), std::string(c.text(group))}, line);
    };
  });
  table(Table::pipelines, [&](Cells& c) -> Row {
    auto id = c.col("id"), name = c.opt_col("name");
    return [=, &b](Cells& c, std::int64_t line) {
      b.add_pipeline({PipelineId{c.req_int(id)}, std::string(c.text(name))}, line);
    };
  });
  table(Table::stages, [&](Cells& c) -> Row {
    auto pipeline = c.col("pipeline_id"), id = c.col("id"), name = c.opt_col("name"), sort = c.opt_col("sort"),
         kind = c.opt_col("kind");
    return [=, &b](Cells& c, std::int64_t line) {
      StageRow r{PipelineId{c.req_int(pipeline)}, StageId{c.req_int(id)}, std::string(c.text(name)),
                 static_cast<std::int32_t>(c.opt_int(sort).value_or(0)), parse_kind(c, kind)};
      b.add_stage(std::move(r), line);
    };
  });
  const std::size_t deal_estimate = estimate_records(dir / file_of(Table::deals));
  const std::size_t change_estimate = estimate_records(dir / file_of(Table::stage_changes));
  b.reserve(deal_estimate, change_estimate);
  // deals.csv and stage_changes.csv: each record's cells go straight into the builder's staging (string
  // cells as views, interned there; absent values as kNoId / kNoTime), cells read in column order so the
  // first bad cell is the one reported.
  auto deals = [&](Cells& c) -> detail::ChunkParse {
    auto id = c.col("id"), pipeline = c.col("pipeline_id"), stage = c.col("stage_id"), created = c.col("created_at"),
         closed = c.opt_col("closed_at"), budget = c.opt_col("budget"), resp = c.opt_col("responsible_user_id"),
         name = c.opt_col("name"), channel = c.opt_col("channel"), tags = c.opt_col("tags"),
         loss = c.opt_col("loss_reason"), contact = c.opt_col("contact_id"), company = c.opt_col("company_id"),
         deleted = c.opt_col("is_deleted");
    return detail::chunk_parser(
        [=, tag_views = std::vector<std::string_view>()](Cells& c, DatasetBuilder& to, std::int64_t line) mutable {
          DealFields r;
          r.id = c.req_int(id);
          r.pipeline_id = c.req_int(pipeline);
          r.stage_id = c.req_int(stage);
          r.created_at = c.req_time(created).seconds;
          r.closed_at = c.opt_seconds(closed);
          r.budget_minor = c.money(budget, "negative budget").minor;
          r.responsible_id = c.opt_id(resp);
          r.name = c.text(name);
          r.channel = c.text(channel);
          split_tags(c.text(tags), tag_views);
          r.tags = tag_views;
          r.loss_reason = c.text(loss);
          r.contact_id = c.opt_id(contact);
          r.company_id = c.opt_id(company);
          r.deleted = c.flag(deleted);
          to.add_deal_fields(r, line);
        });
  };
  auto stage_changes = [&](Cells& c) -> detail::ChunkParse {
    auto deal = c.col("deal_id"), at = c.col("at"), from_p = c.opt_col("from_pipeline_id"),
         from_s = c.opt_col("from_stage_id"), to_p = c.opt_col("to_pipeline_id"), to_s = c.col("to_stage_id"),
         by = c.opt_col("by_user_id");
    return detail::chunk_parser([=](Cells& c, DatasetBuilder& to, std::int64_t line) {
      StageChangeIds r;
      r.deal_id = c.req_int(deal);
      r.at = c.req_time(at).seconds;
      r.from_pipeline_id = c.opt_id(from_p);
      r.from_stage_id = c.opt_id(from_s);
      r.to_pipeline_id = c.opt_id(to_p);
      r.to_stage_id = c.req_int(to_s);
      r.by_user_id = c.opt_id(by);
      to.add_stage_change_ids(r, line);
    });
  };
  {
    // deals.csv and stage_changes.csv are most of a directory's bytes: they are cut into chunks at record
    // boundaries and the chunks of both files parsed on every core (csv_chunks.hpp), each into a builder
    // of its own, appended in file order. The builder's deal and stage-change staging share nothing, so
    // the two files' appends may run at once; each file lists its problems apart, joined in file order,
    // and under the strict policy a problem in deals.csv is the one reported, as when the files are read
    // in turn.
    detail::ChunkedTable deal_file{dir / file_of(Table::deals), source(Table::deals), deals,
                                   &DatasetBuilder::append_deals, deal_estimate, {}};
    std::vector<detail::ChunkedTable*> files{&deal_file};
    const fs::path change_path = dir / file_of(Table::stage_changes);
    detail::ChunkedTable change_file{change_path, file_of(Table::stage_changes), stage_changes,
                                     &DatasetBuilder::append_stage_changes, change_estimate, {}};
    if (fs::exists(change_path)) {
      change_file.name = source(Table::stage_changes);
      files.push_back(&change_file);
    }
    detail::read_tables_chunked(files, b, policy, tz, minor_digits, split);
    for (auto* f : files)
      problems.insert(problems.end(), std::make_move_iterator(f->problems.begin()),
                      std::make_move_iterator(f->problems.end()));
  }
  table(Table::tasks, [&](Cells& c) -> Row {
    auto id = c.col("id"), resp = c.opt_col("responsible_user_id"), created = c.col("created_at"),
         due = c.opt_col("due_at"), done = c.opt_col("completed_at"), et = c.opt_col("entity_type"),
         eid = c.opt_col("entity_id"), type = c.opt_col("type");
    return [=, &b](Cells& c, std::int64_t line) {
      TaskRow r;
      r.id = TaskId{c.req_int(id)};
      r.responsible = opt_typed<UserId>(c.opt_int(resp));
      r.created_at = c.req_time(created);
      r.due_at = c.opt_time(due);
      r.completed_at = c.opt_time(done);
      r.entity_type = c.text(et);
      r.entity_id = c.opt_int(eid);
      r.type = c.text(type);
      b.add_task(std::move(r), line);
    };
  });
  auto simple = [&](Table t, void (DatasetBuilder::*add)(const SimpleEntityRow&, std::int64_t)) {
    table(t, [&, add](Cells& c) -> Row {
      auto id = c.col("id"), created = c.col("created_at"), resp = c.opt_col("responsible_user_id");
      return [=, &b](Cells& c, std::int64_t line) {
        SimpleEntityRow r{c.req_int(id), c.req_time(created), opt_typed<UserId>(c.opt_int(resp))};
        (b.*add)(r, line);
      };
    });
  };
  simple(Table::contacts, &DatasetBuilder::add_contact);
  simple(Table::companies, &DatasetBuilder::add_company);
  simple(Table::customers, &DatasetBuilder::add_customer);
  simple(Table::invoices, &DatasetBuilder::add_invoice);
  table(Table::purchases, [&](Cells& c) -> Row {
    auto id = c.col("id"), customer = c.opt_col("customer_id"), at = c.col("at"), amount = c.col("amount");
    return [=, &b](Cells& c, std::int64_t line) {
      PurchaseRow r{PurchaseId{c.req_int(id)}, c.opt_int(customer), c.req_time(at), c.money(amount, "negative amount")};
      b.add_purchase(r, line);
    };
  });
  table(Table::unsorted, [&](Cells& c) -> Row {
    auto id = c.col("id"), channel = c.opt_col("channel"), created = c.col("created_at"),
         resolved = c.opt_col("resolved_at"), outcome = c.opt_col("outcome"), deal = c.opt_col("deal_id"),
         pipeline = c.opt_col("pipeline_id");
    return [=, &b](Cells& c, std::int64_t line) {
      UnsortedRow r;
      r.id = UnsortedId{c.req_int(id)};
      r.channel = c.text(channel);
      r.created_at = c.req_time(created);
      r.resolved_at = c.opt_time(resolved);
      r.outcome = parse_outcome(c, outcome);
      r.deal = opt_typed<DealId>(c.opt_int(deal));
      r.pipeline = opt_typed<PipelineId>(c.opt_int(pipeline));
      b.add_unsorted(std::move(r), line);
    };
  });
  table(Table::events, [&](Cells& c) -> Row {
    auto id = c.col("id"), type = c.col("type"), et = c.col("entity_type"), eid = c.col("entity_id"),
         at = c.col("created_at"), by = c.opt_col("created_by"), before = c.opt_col("value_before"),
         after = c.opt_col("value_after");
    return [=, &b](Cells& c, std::int64_t line) {
      EventRow r;
      r.id = c.text(id);
      r.type = c.text(type);
      r.entity_type = c.text(et);
      r.entity_id = c.req_int(eid);
      r.at = c.req_time(at);
      auto user = c.opt_int(by);
      if (user && *user != 0) r.by_user = UserId{*user};  // 0 = automation (amoCRM's convention)
      r.value_before = c.text(before);
      r.value_after = c.text(after);
      b.add_event(std::move(r), line);
    };
  });
}

BuildResult load_csv_directory_split(const std::string& dir, ValidationPolicy policy, const CsvSplit& split) {
  DatasetBuilder b;
  Problems cell_problems;
  read_csv_directory_split(dir, b, policy, cell_problems, split);
  BuildResult r = std::move(b).build(policy);
  cell_problems.insert(cell_problems.end(), std::make_move_iterator(r.problems.begin()),
                       std::make_move_iterator(r.problems.end()));
  r.problems = std::move(cell_problems);
  return r;
}

}  // namespace detail

void read_csv_directory(const std::string& dir, DatasetBuilder& b, ValidationPolicy policy, Problems& problems) {
  detail::read_csv_directory_split(dir, b, policy, problems, detail::CsvSplit{});
}

BuildResult load_csv_directory(const std::string& dir, ValidationPolicy policy) {
  return detail::load_csv_directory_split(dir, policy, detail::CsvSplit{});
}

// ---------------------------------------------------------------------------
// Writing

namespace {

// Buffered CSV writer for one file.
class CsvOut {
 public:
  CsvOut(const fs::path& path, std::initializer_list<std::string_view> header) : f_(path, std::ios::binary) {
    if (!f_) throw Error(ErrorCode::io, Problem{path.string(), 0, "", "", "cannot create file"});
    for (auto h : header) field(h);
    end();
  }
  ~CsvOut() { flush(); }
  CsvOut(const CsvOut&) = delete;
  CsvOut& operator=(const CsvOut&) = delete;
  CsvOut& field(std::string_view s) {
    sep();
    append_csv_field(buf_, s);
    return *this;
  }
  CsvOut& num(std::int64_t v) {
    sep();
    char tmp[24];
    auto r = std::to_chars(tmp, tmp + sizeof tmp, v);
    buf_.append(tmp, r.ptr);
    return *this;
  }
  CsvOut& opt(std::int64_t v, std::int64_t none) { return v == none ? empty() : num(v); }
  //! An amount in minor units as a decimal string with `digits` decimals (the account's minor digits).
  CsvOut& money(std::int64_t minor, int digits) {
    sep();
    std::uint64_t mag = minor < 0 ? 0 - static_cast<std::uint64_t>(minor) : static_cast<std::uint64_t>(minor);
    if (minor < 0) buf_.push_back('-');
    std::string s = std::to_string(mag);
    if (digits <= 0) {
      buf_ += s;
      return *this;
    }
    const auto d = static_cast<std::size_t>(digits);
    if (s.size() <= d) s.insert(0, d + 1 - s.size(), '0');
    buf_.append(s, 0, s.size() - d);
    buf_.push_back('.');
    buf_.append(s, s.size() - d, d);
    return *this;
  }
  CsvOut& empty() {
    sep();
    return *this;
  }
  void end() {
    buf_.push_back('\n');
    first_ = true;
    if (buf_.size() > (1u << 20)) flush();
  }

 private:
  void sep() {
    if (!first_) buf_.push_back(',');
    first_ = false;
  }
  void flush() {
    f_.write(buf_.data(), static_cast<std::streamsize>(buf_.size()));
    buf_.clear();
  }
  std::ofstream f_;
  std::string buf_;
  bool first_ = true;
};

const char* kind_name(StageKind k) {
  switch (k) {
    case StageKind::unsorted: return "unsorted";
    case StageKind::open: return "open";
    case StageKind::won: return "won";
    case StageKind::lost: return "lost";
  }
  return "open";
}

const char* weekday_name(Weekday d) {
  static constexpr const char* names[] = {"", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"};
  return names[static_cast<int>(d)];
}

}  // namespace

void write_csv_directory(const Dataset& ds, const std::string& dir_str) {
  const fs::path dir(dir_str);
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) throw Error(ErrorCode::io, Problem{dir_str, 0, "", "", "cannot create directory: " + ec.message()});
  constexpr std::uint32_t kNone = 0xFFFFFFFFu;
  auto user_id = [&](std::uint32_t u) { return u == kNone ? kNoId : ds.users().id[u]; };
  const int digits = ds.account().minor_digits;
  {
    CsvOut o(dir / "account.csv", {"key", "value"});
    o.field("time_zone").field(ds.account().time_zone.name()).end();
    o.field("first_day_of_week").field(weekday_name(ds.account().first_day_of_week)).end();
    if (!ds.account().currency.empty()) o.field("currency").field(ds.account().currency).end();
    if (ds.account().minor_digits != 2) o.field("currency_minor_digits").num(ds.account().minor_digits).end();
  }
  {
    CsvOut o(dir / "users.csv", {"id", "name", "group"});
    const auto& u = ds.users();
    for (std::size_t i = 0; i < u.size(); ++i) {
      o.num(u.id[i]).field(ds.str(u.name[i]));
      if (u.group[i] == kNone) o.empty(); else o.field(ds.str(u.group_name[u.group[i]]));
      o.end();
    }
  }
  {
    CsvOut o(dir / "pipelines.csv", {"id", "name"});
    for (std::size_t i = 0; i < ds.pipelines().size(); ++i)
      o.num(ds.pipelines().id[i]).field(ds.str(ds.pipelines().name[i])).end();
  }
  {
    CsvOut o(dir / "stages.csv", {"pipeline_id", "id", "name", "sort", "kind"});
    const auto& s = ds.stages();
    for (std::size_t i = 0; i < s.size(); ++i)
      o.num(ds.pipelines().id[s.pipeline[i]]).num(s.id[i]).field(ds.str(s.name[i])).num(s.sort[i]).field(kind_name(s.kind[i])).end();
  }
  {
    CsvOut o(dir / "deals.csv", {"id", "pipeline_id", "stage_id", "created_at", "closed_at", "budget",
                                 "responsible_user_id", "name", "channel", "tags", "loss_reason", "contact_id",
                                 "company_id", "is_deleted"});
    const auto& d = ds.deals();
    std::string tags;
    for (std::size_t i = 0; i < d.size(); ++i) {
      tags.clear();
      for (auto k = d.tags_offset[i]; k < d.tags_offset[i + 1]; ++k) {
        if (!tags.empty()) tags.push_back(';');
        tags.append(ds.str(d.tags[k]));
      }
      o.num(d.id[i]).num(ds.pipelines().id[d.pipeline[i]]).num(ds.stages().id[d.stage[i]]).num(d.created_at[i]);
      o.opt(d.closed_at[i], kNoTime).money(d.budget_minor[i], digits).opt(user_id(d.responsible[i]), kNoId);
      o.field(ds.str(d.name[i])).field(ds.str(d.channel[i])).field(tags).field(ds.str(d.loss_reason[i]));
      o.opt(d.contact_id[i], kNoId).opt(d.company_id[i], kNoId).num(d.deleted[i]).end();
    }
  }
  {
    // Every recorded path entry is a stage change; the first entry is the creation record.
    CsvOut o(dir / "stage_changes.csv",
             {"deal_id", "at", "from_pipeline_id", "from_stage_id", "to_pipeline_id", "to_stage_id", "by_user_id"});
    const auto& p = ds.paths();
    const auto& s = ds.stages();
    for (std::size_t i = 0; i < p.deals(); ++i) {
      auto b = p.offset[i], e = p.offset[i + 1];
      if (e - b == 1) {
        // A one-entry path needs no row when the reader rebuilds it from the deal row alone: nobody moved it
        // there, and it was entered at created_at (closed_at when closed). Otherwise (a creation record with
        // its user) the row is kept, or the round trip would lose by_user.
        const auto& d = ds.deals();
        const std::int64_t rebuilt_at = is_closed_kind(s.kind[p.stage[b]]) ? d.closed_at[i] : d.created_at[i];
        if (p.by_user[b] == kNone && p.entered_at[b] == rebuilt_at) continue;
      }
      for (auto k = b; k < e; ++k) {
        if (p.implied[k]) continue;
        o.num(ds.deals().id[i]).num(p.entered_at[k]);
        if (k == b) {
          o.empty().empty();
        } else {
          o.num(ds.pipelines().id[s.pipeline[p.stage[k - 1]]]).num(s.id[p.stage[k - 1]]);
        }
        o.num(ds.pipelines().id[s.pipeline[p.stage[k]]]).num(s.id[p.stage[k]]).opt(user_id(p.by_user[k]), kNoId).end();
      }
    }
  }
  {
    CsvOut o(dir / "tasks.csv", {"id", "responsible_user_id", "created_at", "due_at", "completed_at", "entity_type",
                                 "entity_id", "type"});
    const auto& t = ds.tasks();
    for (std::size_t i = 0; i < t.size(); ++i) {
      o.num(t.id[i]).opt(user_id(t.responsible[i]), kNoId).num(t.created_at[i]).opt(t.due_at[i], kNoTime);
      o.opt(t.completed_at[i], kNoTime).field(ds.str(t.entity_type[i])).opt(t.entity_id[i], kNoId);
      o.field(ds.str(t.type[i])).end();
    }
  }
  auto simple = [&](const char* file, const SimpleEntityTable& t) {
    CsvOut o(dir / file, {"id", "created_at", "responsible_user_id"});
    for (std::size_t i = 0; i < t.size(); ++i) o.num(t.id[i]).num(t.created_at[i]).opt(user_id(t.responsible[i]), kNoId).end();
  };
  simple("contacts.csv", ds.contacts());
  simple("companies.csv", ds.companies());
  simple("customers.csv", ds.customers());
  simple("invoices.csv", ds.invoices());
  {
    CsvOut o(dir / "purchases.csv", {"id", "customer_id", "at", "amount"});
    const auto& p = ds.purchases();
    for (std::size_t i = 0; i < p.size(); ++i) o.num(p.id[i]).opt(p.customer_id[i], kNoId).num(p.at[i]).money(p.amount_minor[i], digits).end();
  }
  {
    CsvOut o(dir / "unsorted.csv", {"id", "channel", "created_at", "resolved_at", "outcome", "deal_id", "pipeline_id"});
    const auto& u = ds.unsorted();
    static constexpr const char* outcomes[] = {"pending", "accepted", "declined"};
    for (std::size_t i = 0; i < u.size(); ++i) {
      o.num(u.id[i]).field(ds.str(u.channel[i])).num(u.created_at[i]).opt(u.resolved_at[i], kNoTime);
      o.field(outcomes[static_cast<int>(u.outcome[i])]).opt(u.deal_id[i], kNoId);
      o.opt(u.pipeline[i] == kNone ? kNoId : ds.pipelines().id[u.pipeline[i]], kNoId).end();
    }
  }
  {
    CsvOut o(dir / "events.csv",
             {"id", "type", "entity_type", "entity_id", "created_at", "created_by", "value_before", "value_after"});
    const auto& e = ds.events();
    for (std::size_t i = 0; i < e.size(); ++i) {
      o.field(e.id[i]).field(ds.str(e.type[i])).field(ds.str(e.entity_type[i])).num(e.entity_id[i]).num(e.at[i]);
      o.num(e.by_user[i] == kNone ? 0 : ds.users().id[e.by_user[i]]);
      o.field(e.value_before[i]).field(e.value_after[i]).end();
    }
  }
}

}  // namespace v1
}  // namespace dealstat
