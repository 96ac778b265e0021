// Helpers shared by the data and io tests: temporary directories, whole-file
// read and write, fixture paths, whole-dataset comparison and readable paths.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

#include "dealstat/data/dataset.hpp"

namespace dealstat::testing {

//! A fresh directory under the system temp directory, removed with everything in it.
class TempDir {
 public:
  explicit TempDir(const std::string& stem) {
    static std::atomic<int> counter{0};
    path_ = std::filesystem::temp_directory_path() /
            ("dealstat_" + stem + "_" + std::to_string(::getpid()) + "_" + std::to_string(counter++));
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  //! The directory.
  const std::filesystem::path& path() const { return path_; }
  //! The directory as a string.
  std::string str() const { return path_.string(); }

 private:
  std::filesystem::path path_;
};

//! The whole file at `p`, byte for byte ("" when it cannot be read).
inline std::string slurp(const std::filesystem::path& p) {
  std::ifstream f(p, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

//! Writes `text` to the file at `p`, byte for byte, replacing what it held.
inline void spit(const std::filesystem::path& p, const std::string& text) {
  std::ofstream f(p, std::ios::binary);
  f << text;
}

//! tests/data/csv/<sub>.
inline std::filesystem::path csv_fixture(const std::string& sub) {
  return std::filesystem::path(DEALSTAT_TEST_DATA_DIR) / "csv" / sub;
}

//! One path entry as CRM ids: (pipeline id, stage id, entered_at, implied).
using Entry = std::tuple<std::int64_t, std::int64_t, std::int64_t, bool>;

//! The path of the deal with this CRM id, as CRM ids.
inline std::vector<Entry> path_of(const Dataset& ds, std::int64_t deal_id) {
  std::vector<Entry> out;
  auto d = ds.find_deal(DealId{deal_id});
  if (!d) {
    ADD_FAILURE() << "no deal " << deal_id;
    return out;
  }
  const auto& pi = ds.paths();
  for (auto k = pi.offset[d->value]; k < pi.offset[d->value + 1]; ++k) {
    const auto s = pi.stage[k];
    out.emplace_back(ds.pipelines().id[ds.stages().pipeline[s]], ds.stages().id[s], pi.entered_at[k],
                     pi.implied[k] != 0);
  }
  return out;
}

//! Who made each move of the deal's path (CRM user id, kNoId = unknown).
inline std::vector<std::int64_t> movers_of(const Dataset& ds, std::int64_t deal_id) {
  std::vector<std::int64_t> out;
  auto d = ds.find_deal(DealId{deal_id});
  if (!d) return out;
  for (auto u : ds.paths().path(d->value).by_user) out.push_back(u == UserIndex::kNone ? kNoId : ds.users().id[u]);
  return out;
}

namespace detail {
inline std::vector<std::string> texts(const Dataset& ds, const std::vector<StrCode>& codes) {
  std::vector<std::string> out;
  for (auto c : codes) out.emplace_back(ds.str(c));
  return out;
}
inline std::vector<std::string> texts(const StringColumn& col) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < col.size(); ++i) out.emplace_back(col[i]);
  return out;
}
inline std::vector<std::string> group_texts(const Dataset& ds) {
  std::vector<std::string> out;
  for (auto g : ds.users().group) out.emplace_back(g == GroupIndex::kNone ? "" : ds.str(ds.users().group_name[g]));
  return out;
}
inline std::vector<std::vector<std::string>> tag_texts(const Dataset& ds) {
  std::vector<std::vector<std::string>> out;
  const auto& d = ds.deals();
  for (std::size_t i = 0; i < d.size(); ++i) {
    out.emplace_back();
    for (auto k = d.tags_offset[i]; k < d.tags_offset[i + 1]; ++k) out.back().emplace_back(ds.str(d.tags[k]));
  }
  return out;
}
}  // namespace detail

//! Expects two datasets to hold the same data, column by column (strings compared as text).
inline void expect_same_dataset(const Dataset& a, const Dataset& b) {
  using detail::texts;
  EXPECT_EQ(a.account().time_zone.name(), b.account().time_zone.name());
  EXPECT_EQ(a.account().first_day_of_week, b.account().first_day_of_week);
  EXPECT_EQ(a.account().currency, b.account().currency);
  EXPECT_EQ(a.account().minor_digits, b.account().minor_digits);

  EXPECT_EQ(a.users().id, b.users().id);
  EXPECT_EQ(texts(a, a.users().name), texts(b, b.users().name));
  EXPECT_EQ(detail::group_texts(a), detail::group_texts(b));

  EXPECT_EQ(a.pipelines().id, b.pipelines().id);
  EXPECT_EQ(texts(a, a.pipelines().name), texts(b, b.pipelines().name));
  EXPECT_EQ(a.pipelines().stages_offset, b.pipelines().stages_offset);
  EXPECT_EQ(a.pipelines().stages_ordered, b.pipelines().stages_ordered);

  EXPECT_EQ(a.stages().id, b.stages().id);
  EXPECT_EQ(a.stages().pipeline, b.stages().pipeline);
  EXPECT_EQ(texts(a, a.stages().name), texts(b, b.stages().name));
  EXPECT_EQ(a.stages().sort, b.stages().sort);
  EXPECT_EQ(a.stages().kind, b.stages().kind);
  EXPECT_EQ(a.stages().position, b.stages().position);

  const auto& da = a.deals();
  const auto& db = b.deals();
  EXPECT_EQ(da.id, db.id);
  EXPECT_EQ(texts(a, da.name), texts(b, db.name));
  EXPECT_EQ(da.pipeline, db.pipeline);
  EXPECT_EQ(da.stage, db.stage);
  EXPECT_EQ(da.created_at, db.created_at);
  EXPECT_EQ(da.closed_at, db.closed_at);
  EXPECT_EQ(da.budget_minor, db.budget_minor);
  EXPECT_EQ(da.responsible, db.responsible);
  EXPECT_EQ(texts(a, da.channel), texts(b, db.channel));
  EXPECT_EQ(texts(a, da.loss_reason), texts(b, db.loss_reason));
  EXPECT_EQ(da.contact_id, db.contact_id);
  EXPECT_EQ(da.company_id, db.company_id);
  EXPECT_EQ(da.deleted, db.deleted);
  EXPECT_EQ(da.tags_offset, db.tags_offset);
  EXPECT_EQ(detail::tag_texts(a), detail::tag_texts(b));

  EXPECT_EQ(a.paths().offset, b.paths().offset);
  EXPECT_EQ(a.paths().stage, b.paths().stage);
  EXPECT_EQ(a.paths().entered_at, b.paths().entered_at);
  EXPECT_EQ(a.paths().by_user, b.paths().by_user);
  EXPECT_EQ(a.paths().implied, b.paths().implied);

  EXPECT_EQ(a.tasks().id, b.tasks().id);
  EXPECT_EQ(a.tasks().responsible, b.tasks().responsible);
  EXPECT_EQ(a.tasks().created_at, b.tasks().created_at);
  EXPECT_EQ(a.tasks().due_at, b.tasks().due_at);
  EXPECT_EQ(a.tasks().completed_at, b.tasks().completed_at);
  EXPECT_EQ(texts(a, a.tasks().entity_type), texts(b, b.tasks().entity_type));
  EXPECT_EQ(a.tasks().entity_id, b.tasks().entity_id);
  EXPECT_EQ(texts(a, a.tasks().type), texts(b, b.tasks().type));

  for (auto [ta, tb] : {std::pair{&a.contacts(), &b.contacts()}, std::pair{&a.companies(), &b.companies()},
                        std::pair{&a.customers(), &b.customers()}, std::pair{&a.invoices(), &b.invoices()}}) {
    EXPECT_EQ(ta->id, tb->id);
    EXPECT_EQ(ta->created_at, tb->created_at);
    EXPECT_EQ(ta->responsible, tb->responsible);
  }

  EXPECT_EQ(a.purchases().id, b.purchases().id);
  EXPECT_EQ(a.purchases().customer_id, b.purchases().customer_id);
  EXPECT_EQ(a.purchases().at, b.purchases().at);
  EXPECT_EQ(a.purchases().amount_minor, b.purchases().amount_minor);

  EXPECT_EQ(a.unsorted().id, b.unsorted().id);
  EXPECT_EQ(texts(a, a.unsorted().channel), texts(b, b.unsorted().channel));
  EXPECT_EQ(a.unsorted().created_at, b.unsorted().created_at);
  EXPECT_EQ(a.unsorted().resolved_at, b.unsorted().resolved_at);
  EXPECT_EQ(a.unsorted().outcome, b.unsorted().outcome);
  EXPECT_EQ(a.unsorted().deal_id, b.unsorted().deal_id);
  EXPECT_EQ(a.unsorted().pipeline, b.unsorted().pipeline);

  EXPECT_EQ(texts(a.events().id), texts(b.events().id));
  EXPECT_EQ(texts(a, a.events().type), texts(b, b.events().type));
  EXPECT_EQ(texts(a, a.events().entity_type), texts(b, b.events().entity_type));
  EXPECT_EQ(a.events().entity_id, b.events().entity_id);
  EXPECT_EQ(a.events().at, b.events().at);
  EXPECT_EQ(a.events().by_user, b.events().by_user);
  EXPECT_EQ(texts(a.events().value_before), texts(b.events().value_before));
  EXPECT_EQ(texts(a.events().value_after), texts(b.events().value_after));
}

}  // namespace dealstat::testing
