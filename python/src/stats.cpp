// The statistics the reports use, exposed for checking against peers
// (statsmodels, lifelines) and for analysts: Wilson intervals, the
// Kaplan-Meier curve, OLS with prediction intervals.
#include <vector>

#include "reports.hpp"
#include "dealstat/stats/kaplan_meier.hpp"
#include "dealstat/stats/ols.hpp"
#include "dealstat/stats/wilson.hpp"

namespace dealstat_py {

void init_stats(py::module_& m) {
  m.def(
      "wilson_interval",
      [](std::int64_t successes, std::int64_t trials, double confidence) {
        auto w = dealstat::wilson_interval(successes, trials, confidence);
        return py::make_tuple(w.lower, w.upper);
      },
      py::arg("successes"), py::arg("trials"), py::arg("confidence") = 0.95);

  m.def(
      "kaplan_meier",
      [](py::array_t<double, py::array::c_style | py::array::forcecast> durations,
         py::array_t<bool, py::array::c_style | py::array::forcecast> events, double confidence) {
        if (durations.size() != events.size())
          throw dealstat::Error::bad_option("events", std::to_string(events.size()),
                                            "must have as many values as durations");
        dealstat::KaplanMeierAccumulator acc;
        for (py::ssize_t i = 0; i < durations.size(); ++i) acc.add(durations.data()[i], events.data()[i]);
        auto c = acc.finalize(confidence);
        auto med = c.median();
        py::dict d;
        d["times"] = owned_array(std::move(c.times));
        d["survival"] = owned_array(std::move(c.survival));
        d["at_risk"] = owned_array(std::move(c.at_risk));
        d["events"] = owned_array(std::move(c.events));
        d["censored"] = owned_array(std::move(c.censored));
        d["ci_lower"] = owned_array(std::move(c.ci_lower));
        d["ci_upper"] = owned_array(std::move(c.ci_upper));
        d["median"] = med.median;
        d["median_lower"] = med.lower;
        d["median_upper"] = med.upper;
        return d;
      },
      py::arg("durations"), py::arg("events"), py::arg("confidence") = 0.95);

  m.def(
      "ols",
      [](py::array_t<double, py::array::c_style | py::array::forcecast> x,
         py::array_t<double, py::array::c_style | py::array::forcecast> y,
         py::array_t<double, py::array::c_style | py::array::forcecast> x_new, double confidence) {
        if (x.ndim() != 2 || x_new.ndim() != 2)
          throw dealstat::Error::bad_option("x", std::to_string(x.ndim()), "x and x_new must be 2-D");
        const auto n = static_cast<std::size_t>(x.shape(0)), k = static_cast<std::size_t>(x.shape(1));
        auto model = dealstat::OlsModel::fit({x.data(), n * k}, n, k, {y.data(), static_cast<std::size_t>(y.size())});
        auto p = model.predict({x_new.data(), static_cast<std::size_t>(x_new.size())}, confidence);
        py::dict d;
        d["params"] = model.params();
        d["bse"] = model.bse();
        d["sigma2"] = model.sigma2();
        d["r_squared"] = model.r_squared();
        d["df_resid"] = model.df_resid();
        d["mean"] = owned_array(std::move(p.mean));
        d["se_mean"] = owned_array(std::move(p.se_mean));
        d["ci_lower"] = owned_array(std::move(p.ci_lower));
        d["ci_upper"] = owned_array(std::move(p.ci_upper));
        d["pi_lower"] = owned_array(std::move(p.pi_lower));
        d["pi_upper"] = owned_array(std::move(p.pi_upper));
        return d;
      },
      py::arg("x"), py::arg("y"), py::arg("x_new"), py::arg("confidence") = 0.95);
}

}  // namespace dealstat_py
