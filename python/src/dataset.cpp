// dealstat._core.Dataset and its loaders: the built-in sample, the CSV
// directory format, mapped foreign exports, amoCRM exports (when the
// importer is built in). Loads run with the GIL released. The dataset's own
// columns are offered as read-only numpy views (the capsule base keeps the
// dataset alive), so pandas oracles and plots read them without copies.
#include <string>

#include "dataset.hpp"
#include "dealstat/io/csv_directory.hpp"
#include "dealstat/io/mapping.hpp"
#include "dealstat/io/sample_generator.hpp"
#include "dealstat/reports/filter.hpp"
#if __has_include("dealstat/io/amocrm.hpp")
#include "dealstat/io/amocrm.hpp"
#define DEALSTAT_PY_HAVE_AMOCRM 1
#endif

namespace dealstat_py {
namespace {

using dealstat::Dataset;

py::dict problem_dict(const dealstat::Problem& p) {
  py::dict d;
  d["source"] = p.source;
  d["row"] = p.row;
  d["field"] = p.field;
  d["value"] = p.value;
  d["message"] = p.message;
  return d;
}

template <class T>
py::array_t<T> view(const PyDataset& ds, const std::vector<T>& v) {
  return borrowed_view(v.data(), v.size(), owner_capsule(ds.ptr));
}

py::array strings_of(const Dataset& ds, const std::vector<dealstat::StrCode>& codes) {
  py::list out;
  for (auto c : codes) out.append(py::str(std::string(ds.str(c))));
  return py::array(out);
}

py::array index_to_id(const std::vector<std::uint32_t>& idx, const std::vector<std::int64_t>& ids) {
  std::vector<std::int64_t> v(idx.size());
  for (std::size_t i = 0; i < idx.size(); ++i) v[i] = idx[i] == UINT32_MAX ? dealstat::kNoId : ids[idx[i]];
  return owned_array(std::move(v));
}

const char* kind_name(dealstat::StageKind k) {
  switch (k) {
    case dealstat::StageKind::unsorted: return "unsorted";
    case dealstat::StageKind::open: return "open";
    case dealstat::StageKind::won: return "won";
    case dealstat::StageKind::lost: return "lost";
  }
  return "open";
}

// Columns of one table as {name: numpy array}; numeric columns are views.
py::dict table_columns(const PyDataset& self, const std::string& table) {
  const Dataset& ds = *self.ptr;
  py::dict d;
  if (table == "deals") {
    const auto& t = ds.deals();
    d["id"] = view(self, t.id);
    d["name"] = strings_of(ds, t.name);
    d["pipeline_row"] = view(self, t.pipeline);
    d["stage_row"] = view(self, t.stage);
    d["pipeline_id"] = index_to_id(t.pipeline, ds.pipelines().id);
    d["stage_id"] = index_to_id(t.stage, ds.stages().id);
    std::vector<std::string> kinds;
    py::list kl;
    for (auto s : t.stage) kl.append(kind_name(ds.stages().kind[s]));
    d["stage_kind"] = py::array(kl);
    d["created_at"] = view(self, t.created_at);
    d["closed_at"] = view(self, t.closed_at);
    d["budget_minor"] = view(self, t.budget_minor);
    d["responsible_row"] = view(self, t.responsible);
    d["responsible_id"] = index_to_id(t.responsible, ds.users().id);
    d["channel"] = strings_of(ds, t.channel);
    d["loss_reason"] = strings_of(ds, t.loss_reason);
    d["contact_id"] = view(self, t.contact_id);
    d["company_id"] = view(self, t.company_id);
    d["deleted"] = view(self, t.deleted);
    d["tags_offset"] = view(self, t.tags_offset);
    d["tags"] = strings_of(ds, t.tags);
  } else if (table == "paths") {
    const auto& p = ds.paths();
    std::vector<std::int64_t> deal(p.entries());
    for (std::size_t i = 0; i + 1 < p.offset.size(); ++i)
      for (auto k = p.offset[i]; k < p.offset[i + 1]; ++k) deal[k] = static_cast<std::int64_t>(i);
    d["deal_row"] = owned_array(std::move(deal));
    d["stage_row"] = view(self, p.stage);
    d["entered_at"] = view(self, p.entered_at);
    d["by_user_row"] = view(self, p.by_user);
    d["implied"] = view(self, p.implied);
  } else if (table == "stages") {
    const auto& t = ds.stages();
    d["id"] = view(self, t.id);
    d["pipeline_row"] = view(self, t.pipeline);
    d["pipeline_id"] = index_to_id(t.pipeline, ds.pipelines().id);
    d["name"] = strings_of(ds, t.name);
    d["sort"] = view(self, t.sort);
    py::list kl;
    for (auto k : t.kind) kl.append(kind_name(k));
    d["kind"] = py::array(kl);
    d["position"] = view(self, t.position);
  } else if (table == "pipelines") {
    const auto& t = ds.pipelines();
    d["id"] = view(self, t.id);
    d["name"] = strings_of(ds, t.name);
  } else if (table == "users") {
    const auto& t = ds.users();
    d["id"] = view(self, t.id);
    d["name"] = strings_of(ds, t.name);
    py::list g;
    for (auto gi : t.group) g.append(gi == UINT32_MAX ? std::string() : std::string(ds.str(t.group_name[gi])));
    d["group"] = py::array(g);
  } else if (table == "tasks") {
    const auto& t = ds.tasks();
    d["id"] = view(self, t.id);
    d["responsible_row"] = view(self, t.responsible);
    d["responsible_id"] = index_to_id(t.responsible, ds.users().id);
    d["created_at"] = view(self, t.created_at);
    d["due_at"] = view(self, t.due_at);
    d["completed_at"] = view(self, t.completed_at);
    d["entity_type"] = strings_of(ds, t.entity_type);
    d["entity_id"] = view(self, t.entity_id);
    d["type"] = strings_of(ds, t.type);
  } else if (table == "unsorted") {
    const auto& t = ds.unsorted();
    d["id"] = view(self, t.id);
    d["channel"] = strings_of(ds, t.channel);
    d["created_at"] = view(self, t.created_at);
    d["resolved_at"] = view(self, t.resolved_at);
    py::list o;
    for (auto x : t.outcome)
      o.append(x == dealstat::UnsortedOutcome::accepted ? "accepted"
               : x == dealstat::UnsortedOutcome::declined ? "declined" : "pending");
    d["outcome"] = py::array(o);
    d["deal_id"] = view(self, t.deal_id);
  } else {
    throw dealstat::Error::bad_option("table", table,
                                      "unknown table (deals, paths, stages, pipelines, users, tasks, unsorted)");
  }
  return d;
}

}  // namespace

dealstat::ValidationPolicy parse_policy(const std::string& s) {
  if (s == "strict") return dealstat::ValidationPolicy::strict;
  if (s == "lenient") return dealstat::ValidationPolicy::lenient;
  throw dealstat::Error::bad_option("policy", s, "expected 'strict' or 'lenient'");
}

py::tuple wrap_build(dealstat::BuildResult&& r) {
  py::list problems;
  for (const auto& p : r.problems) problems.append(problem_dict(p));
  return py::make_tuple(PyDataset{std::move(r.dataset)}, problems);
}

void init_dataset(py::module_& m) {
  m.attr("HAVE_AMOCRM") = py::bool_(
#ifdef DEALSTAT_PY_HAVE_AMOCRM
      true
#else
      false
#endif
  );
  py::class_<PyDataset>(m, "Dataset", "An immutable CRM dataset (shared; safe to read from many threads).")
      .def_property_readonly("num_deals", [](const PyDataset& d) { return d.ptr->deals().size(); })
      .def_property_readonly("num_stage_entries", [](const PyDataset& d) { return d.ptr->paths().entries(); })
      .def_property_readonly("num_tasks", [](const PyDataset& d) { return d.ptr->tasks().size(); })
      .def_property_readonly("num_events", [](const PyDataset& d) { return d.ptr->events().size(); })
      .def_property_readonly("num_unsorted", [](const PyDataset& d) { return d.ptr->unsorted().size(); })
      .def_property_readonly("time_zone", [](const PyDataset& d) { return d.ptr->account().time_zone.name(); })
      .def_property_readonly("currency", [](const PyDataset& d) { return d.ptr->account().currency; })
      .def_property_readonly("minor_digits", [](const PyDataset& d) { return d.ptr->account().minor_digits; })
      .def_property_readonly("first_day_of_week",
                             [](const PyDataset& d) { return static_cast<int>(d.ptr->account().first_day_of_week); })
      .def_property_readonly("end_s", [](const PyDataset& d) { return dealstat::dataset_end(*d.ptr).seconds; },
                             "The latest instant recorded in deals and paths (the reports' default as-of).")
      .def(
          "local_instant",
          [](const PyDataset& d, std::int32_t day, std::int32_t seconds) {
            return d.ptr->account().time_zone.from_local(dealstat::LocalDate{day}, seconds).seconds;
          },
          py::arg("day"), py::arg("seconds"), "Unix seconds of local day + seconds in the account's time zone.")
      .def("columns", &table_columns, py::arg("table"), "Columns of one table as {name: numpy array}.");

  m.def(
      "sample",
      [](std::int64_t deals, std::uint64_t seed, std::int64_t start_s, std::int64_t end_s, std::string tz,
         bool events) {
        dealstat::SampleOptions o;
        o.deals = deals;
        o.seed = seed;
        o.start_s = start_s;
        o.end_s = end_s;
        o.time_zone = std::move(tz);
        o.events = events;
        dealstat::DatasetPtr p;
        {
          py::gil_scoped_release nogil;
          p = dealstat::make_sample(o);
        }
        return PyDataset{std::move(p)};
      },
      py::arg("deals"), py::arg("seed"), py::arg("start_s"), py::arg("end_s"), py::arg("time_zone"),
      py::arg("events"));

  m.def(
      "load_csv_directory",
      [](const std::string& dir, const std::string& policy) {
        auto pol = parse_policy(policy);
        dealstat::BuildResult r;
        {
          py::gil_scoped_release nogil;
          r = dealstat::load_csv_directory(dir, pol);
        }
        return wrap_build(std::move(r));
      },
      py::arg("dir"), py::arg("policy"));

  m.def(
      "load_mapped_export",
      [](const std::string& dir, const std::string& mapping, const std::string& policy) {
        auto pol = parse_policy(policy);
        dealstat::BuildResult r;
        {
          py::gil_scoped_release nogil;
          r = dealstat::load_mapped_export(dir, mapping, pol);
        }
        return wrap_build(std::move(r));
      },
      py::arg("dir"), py::arg("mapping"), py::arg("policy"));

  m.def(
      "write_csv_directory",
      [](const PyDataset& ds, const std::string& dir) {
        py::gil_scoped_release nogil;
        dealstat::write_csv_directory(*ds.ptr, dir);
      },
      py::arg("dataset"), py::arg("dir"));

#ifdef DEALSTAT_PY_HAVE_AMOCRM
  m.def(
      "import_amocrm",
      [](const std::string& dir, const std::string& policy) {
        auto pol = parse_policy(policy);
        dealstat::BuildResult r;
        {
          py::gil_scoped_release nogil;
          r = dealstat::import_amocrm(dir, pol);
        }
        return wrap_build(std::move(r));
      },
      py::arg("dir"), py::arg("policy"));
  m.def(
      "write_amocrm",
      [](const PyDataset& ds, const std::string& dir, std::int64_t page_size) {
        dealstat::AmocrmWriteOptions o;
        o.page_size = page_size;
        py::gil_scoped_release nogil;
        dealstat::write_amocrm(*ds.ptr, dir, o);
      },
      py::arg("dataset"), py::arg("dir"), py::arg("page_size") = 250);
#endif
}

}  // namespace dealstat_py
