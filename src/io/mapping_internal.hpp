// Private pieces of the mapped-export loader (docs/mappings.md):
//   - MappingSpec, the mapping file as parsed and checked (mapping.cpp);
//   - MappedLoad, the state one load shares between its files: the time
//     format, stages by key, users by id and by name (placeholders made on
//     demand), dense ids, and the readers of users and tasks
//     (mapping_context.cpp);
//   - the two layouts, each in its own file: load_snapshot
//     (mapping_snapshot.cpp) and load_change_log (mapping_change_log.cpp).
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "dealstat/core/error.hpp"
#include "dealstat/core/types.hpp"
#include "dealstat/data/dataset_builder.hpp"
#include "io/csv_cells.hpp"

namespace dealstat {
inline namespace v1 {
namespace detail {

//! How dates and times are written in the export's cells.
enum class DateFormat : std::uint8_t {
  iso,          //!< "YYYY-MM-DD", "YYYY-MM-DD HH:MM:SS", ISO 8601 with T/offset, or Unix seconds
  day_month,    //!< "DD.MM.YYYY[ HH:MM[:SS]]"
  month_day,    //!< "MM/DD/YYYY[ HH:MM[:SS]]"
};

//! One stage of the mapping: the export's key for it and what it becomes.
struct StageSpec {
  std::string key;                  //!< how the export names the stage (a name or an id as text)
  std::string name;                 //!< display name
  StageId id{kNoId};                //!< dealstat stage id (kNoId until assigned)
  StageKind kind = StageKind::open; //!< unsorted / open / won / lost
};

//! One file of the export and the columns that play each role.
struct FileSpec {
  bool present = false;                        //!< the mapping names this file
  std::string file;                            //!< file name inside the export directory
  std::string json_path;                       //!< "files.deals": where it is in the mapping
  bool dense_ids = false;                      //!< ids: "dense" (number rows 1..n in file order)
  std::map<std::string, std::string> columns;  //!< role -> column name
  std::vector<std::string> tag_columns;        //!< columns whose values become tags
  //! Column of a role, if the mapping gives one.
  const std::string* column(const std::string& role) const {
    auto it = columns.find(role);
    return it == columns.end() ? nullptr : &it->second;
  }
};

//! What a snapshot row without created_at becomes.
enum class MissingCreated : std::uint8_t { error, earliest, latest };

//! The mapping file, parsed and checked.
struct MappingSpec {
  std::string path;                        //!< the mapping file (named in errors)
  bool change_log = false;                 //!< layout: false = snapshot, true = change_log
  Account account;                         //!< time zone, currency
  int minor_digits = 2;                    //!< currency_minor_digits
  DateFormat date_format = DateFormat::iso;  //!< date_format
  PipelineId pipeline_id{1};               //!< pipeline.id
  std::string pipeline_name = "Pipeline";  //!< pipeline.name
  std::vector<StageSpec> stages;           //!< stages, in funnel order
  bool create_unknown_users = true;        //!< unknown_users: "create" (true) or "error"

  FileSpec deals;          //!< files.deals (snapshot)
  FileSpec changes;        //!< files.changes (change_log)
  FileSpec users;          //!< files.users
  FileSpec tasks;          //!< files.tasks
  FileSpec products;       //!< files.products (list prices)

  // files.deals rules (snapshot)
  MissingCreated missing_created_at = MissingCreated::error;   //!< missing_created_at
  std::string assumed_created_tag = "created_at assumed";      //!< assumed_created_at_tag
  bool budget_from_list_price = false;                         //!< missing_budget: "list_price"
  std::map<std::string, std::string, std::less<>> product_aliases;  //!< product_aliases

  // files.changes rules (change_log)
  std::map<std::string, std::string> field_keys;  //!< role (created/stage/owner/lost/won/budget) -> field key
  bool repeated_created_latest = false;           //!< repeated_created: "earliest" (false) or "latest"
  bool changes_before_created_error = false;      //!< changes_before_created: "move_creation" or "error"
  std::string loss_reason_file;                   //!< loss_reasons.file
  std::string loss_reason_key_column, loss_reason_key, loss_reason_options_column;  //!< loss_reasons.*
};

//! Reads and checks the mapping file; stages listed from a file are read from `dir`. Throws Error.
MappingSpec parse_mapping(const std::string& mapping_path, const std::filesystem::path& dir);

//! State shared by the files of one load.
class MappedLoad {
 public:
  //! Starts a load: account, pipeline and stages go to the builder.
  MappedLoad(const MappingSpec& spec, std::filesystem::path dir, DatasetBuilder& builder, ValidationPolicy policy,
             Problems& problems);

  const MappingSpec& spec;   //!< the mapping
  DatasetBuilder& builder;   //!< where rows go
  ValidationPolicy policy;   //!< strict / lenient
  Problems& problems;        //!< cell-level problems (lenient)

  //! The export directory.
  const std::filesystem::path& dir() const { return dir_; }
  //! Reads one mapped file; `setup` finds columns once and returns the per-record reader.
  void read(const FileSpec& file, const std::function<std::function<void(Cells&, std::int64_t)>(Cells&)>& setup);
  //! Column of a role that the mapping must give (else Error naming the mapping key).
  std::size_t required_column(Cells& c, const FileSpec& file, const std::string& role) const;
  //! Column of an optional role, Cells::npos when the mapping gives none.
  std::size_t optional_column(Cells& c, const FileSpec& file, const std::string& role) const;

  //! Parses a date or time in the mapping's date_format; nullopt if malformed.
  std::optional<Timestamp> parse_time(std::string_view s) const;
  //! A cell that must hold a time.
  Timestamp req_time(Cells& c, std::size_t col) const;
  //! A cell that may be empty or hold a time.
  std::optional<Timestamp> opt_time(Cells& c, std::size_t col) const;
  //! A cell holding an amount; empty = nullopt.
  std::optional<Money> opt_money(Cells& c, std::size_t col) const;

  //! The stage the export calls `key`, or null.
  const StageSpec* stage_by_key(std::string_view key) const;
  //! The first stage of a kind, or null.
  const StageSpec* first_stage(StageKind kind) const;

  //! A deal id from a cell: the integer, or (ids: "dense") the number of the text in order of first appearance.
  DealId deal_id(Cells& c, std::size_t col);
  //! The user named `name` (created with the next free id when unknown and unknown_users is "create").
  std::optional<UserId> user_by_name(Cells& c, std::size_t col);
  //! The user with id in the cell (a placeholder "user N" is made when unknown and unknown_users is "create").
  std::optional<UserId> user_by_id(Cells& c, std::size_t col);
  //! Same for an id already parsed.
  UserId user_by_id(std::int64_t id);
  //! A company id from a cell: integer (role company_id) or a dense number of the name (role company).
  std::optional<std::int64_t> company(Cells& c, std::size_t id_col, std::size_t name_col);

  //! Reads files.users (if any).
  void read_users();
  //! Reads files.tasks (if any).
  void read_tasks();
  //! Adds the users made on demand to the builder; call once at the end.
  void finish();

 private:
  std::filesystem::path dir_;
  std::unordered_map<std::string, const StageSpec*> stage_by_key_;
  std::unordered_map<std::string, std::int64_t> deal_dense_, company_dense_;
  std::unordered_map<std::string, std::int64_t> user_by_name_;
  std::unordered_map<std::int64_t, bool> user_known_;
  std::vector<UserRow> made_users_;
  std::int64_t next_user_id_ = 1;
};

//! Reads a snapshot export (one row per deal) into the builder.
void load_snapshot(MappedLoad& load);
//! Reads a change-log export (deal, time, field, value rows) into the builder.
void load_change_log(MappedLoad& load);

}  // namespace detail
}  // namespace v1
}  // namespace dealstat
