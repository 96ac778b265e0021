// The snapshot layout: one row per deal with its current stage and no stage
// history (maven-crm's sales_pipeline.csv). Each row becomes a deal whose
// path is its current stage alone. Rows are read first and added at the end,
// because a row without created_at may take the earliest (or latest) date of
// the whole export (missing_created_at); such deals carry a tag that says so.
// Budgets left empty may come from the product's list price (missing_budget).
#include <algorithm>
#include <limits>

#include "io/mapping_internal.hpp"

namespace dealstat {
inline namespace v1 {
namespace detail {

namespace {

// Product list prices by (alias-resolved) product name.
std::unordered_map<std::string, Money> read_list_prices(MappedLoad& load) {
  std::unordered_map<std::string, Money> prices;
  const FileSpec& f = load.spec.products;
  load.read(f, [&](Cells& c) -> std::function<void(Cells&, std::int64_t)> {
    const std::size_t name = load.required_column(c, f, "name"), price = load.required_column(c, f, "price");
    return [&, name, price](Cells& c, std::int64_t) {
      std::string n(c.text(name));
      if (auto a = load.spec.product_aliases.find(n); a != load.spec.product_aliases.end()) n = a->second;
      auto p = load.opt_money(c, price);
      if (!p) c.fail(price, "", "value is required");
      prices[n] = *p;
    };
  });
  return prices;
}

struct PendingDeal {
  DealRow row;
  std::int64_t line = 0;
  bool created_missing = false;
};

}  // namespace

void load_snapshot(MappedLoad& load) {
  const MappingSpec& spec = load.spec;
  const FileSpec& f = spec.deals;
  DatasetBuilder& b = load.builder;
  b.set_source(Table::deals, f.file);
  std::unordered_map<std::string, Money> prices;
  if (spec.products.present) prices = read_list_prices(load);

  std::vector<PendingDeal> pending;
  std::int64_t earliest = std::numeric_limits<std::int64_t>::max(), latest = std::numeric_limits<std::int64_t>::min();
  load.read(f, [&](Cells& c) -> std::function<void(Cells&, std::int64_t)> {
    const std::size_t id = load.required_column(c, f, "id"), stage = load.required_column(c, f, "stage"),
                      created = load.optional_column(c, f, "created_at"),
                      closed = load.optional_column(c, f, "closed_at"), budget = load.optional_column(c, f, "budget"),
                      owner_id = load.optional_column(c, f, "owner_id"),
                      owner_name = load.optional_column(c, f, "owner_name"),
                      company_id = load.optional_column(c, f, "company_id"),
                      company = load.optional_column(c, f, "company"),
                      contact = load.optional_column(c, f, "contact_id"), name = load.optional_column(c, f, "name"),
                      channel = load.optional_column(c, f, "channel"), product = load.optional_column(c, f, "product"),
                      loss = load.optional_column(c, f, "loss_reason");
    std::vector<std::size_t> tags;
    for (const auto& t : f.tag_columns) tags.push_back(c.col(t));
    return [&, id, stage, created, closed, budget, owner_id, owner_name, company_id, company, contact, name, channel,
            product, loss, tags](Cells& c, std::int64_t line) {
      PendingDeal p;
      p.line = line;
      DealRow& r = p.row;
      r.id = load.deal_id(c, id);
      r.pipeline = spec.pipeline_id;
      const StageSpec* st = load.stage_by_key(c.text(stage));
      if (!st) c.fail(stage, c.text(stage), "stage is not in the mapping's stages");
      r.stage = st->id;
      auto at = created == Cells::npos ? std::nullopt : load.opt_time(c, created);
      if (!at && spec.missing_created_at == MissingCreated::error) c.fail(created, "", "value is required");
      p.created_missing = !at;
      r.closed_at = load.opt_time(c, closed);
      // Product: alias-resolved, a tag, and the list price of an empty budget.
      std::string prod = product == Cells::npos ? std::string() : std::string(c.text(product));
      if (auto a = spec.product_aliases.find(prod); a != spec.product_aliases.end()) prod = a->second;
      auto money = load.opt_money(c, budget);
      if (!money && spec.budget_from_list_price && !prod.empty()) {
        auto it = prices.find(prod);
        if (it == prices.end()) c.fail(product, prod, "product is not in " + spec.products.file + " (no list price)");
        money = it->second;
      }
      r.budget = money.value_or(Money{0});
      r.responsible = owner_id != Cells::npos ? load.user_by_id(c, owner_id) : load.user_by_name(c, owner_name);
      r.company_id = load.company(c, company_id, company);
      r.contact_id = c.opt_int(contact);
      r.name = f.dense_ids ? std::string(c.text(id)) : std::string(c.text(name));
      r.channel = std::string(c.text(channel));
      r.loss_reason = std::string(c.text(loss));
      if (!prod.empty()) r.tags.push_back(prod);
      for (std::size_t t : tags)
        if (!c.text(t).empty()) r.tags.emplace_back(c.text(t));
      if (at) {
        r.created_at = *at;
        earliest = std::min(earliest, at->seconds);
        latest = std::max(latest, at->seconds);
      }
      if (r.closed_at) latest = std::max(latest, r.closed_at->seconds);
      pending.push_back(std::move(p));
    };
  });

  bool any_missing = false;
  for (const auto& p : pending) any_missing = any_missing || p.created_missing;
  if (any_missing) {
    const std::int64_t fill = spec.missing_created_at == MissingCreated::earliest ? earliest : latest;
    if (fill == std::numeric_limits<std::int64_t>::max() || fill == std::numeric_limits<std::int64_t>::min())
      throw Error(ErrorCode::invalid_data,
                  Problem{f.file, 0, f.column("created_at") ? *f.column("created_at") : std::string("created_at"), "",
                          "no row has a date to use for missing created_at"});
    for (auto& p : pending) {
      if (!p.created_missing) continue;
      p.row.created_at = Timestamp{fill};
      if (!spec.assumed_created_tag.empty()) p.row.tags.push_back(spec.assumed_created_tag);
    }
  }
  b.reserve(pending.size(), 0);
  for (auto& p : pending) b.add_deal(std::move(p.row), p.line);
}

}  // namespace detail
}  // namespace v1
}  // namespace dealstat
