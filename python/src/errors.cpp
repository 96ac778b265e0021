// C++ errors as Python exceptions. Every dealstat::Error becomes an instance
// of a class chosen by its code, carrying the Problem's detail as attributes
// (.code .source .row .field .value .message):
//   DealstatError (Exception)
//   ├── DataError (also ValueError)     invalid_data, parse (ParseError)
//   ├── OptionError (also ValueError)   invalid_option
//   └── DealstatIOError (also OSError)  io
// unsupported_version and internal raise DealstatError itself.
#include <string>

#include "common.hpp"
#include "dealstat/core/error.hpp"

namespace dealstat_py {
namespace {

py::object make_class(py::module_& m, const char* name, py::tuple bases, const char* doc) {
  std::string qual = std::string("dealstat._core.") + name;
  PyObject* cls = PyErr_NewExceptionWithDoc(qual.c_str(), doc, bases.ptr(), nullptr);
  if (cls == nullptr) throw py::error_already_set();
  py::object o = py::reinterpret_steal<py::object>(cls);
  m.attr(name) = o;
  return o;
}

const char* code_name(dealstat::ErrorCode c) {
  switch (c) {
    case dealstat::ErrorCode::invalid_data: return "invalid_data";
    case dealstat::ErrorCode::invalid_option: return "invalid_option";
    case dealstat::ErrorCode::io: return "io";
    case dealstat::ErrorCode::parse: return "parse";
    case dealstat::ErrorCode::unsupported_version: return "unsupported_version";
    case dealstat::ErrorCode::internal: return "internal";
  }
  return "internal";
}

}  // namespace

void init_errors(py::module_& m) {
  // Kept for the life of the process (never destroyed after the interpreter is gone).
  static auto& base = *new py::object();
  static auto& data = *new py::object();
  static auto& parse = *new py::object();
  static auto& option = *new py::object();
  static auto& io = *new py::object();
  base = make_class(m, "DealstatError", py::make_tuple(py::handle(PyExc_Exception)),
                    "Any error raised by dealstat; .code names its kind, .source .row .field .value locate it.");
  data = make_class(m, "DataError", py::make_tuple(base, py::handle(PyExc_ValueError)),
                    "Input data breaks a rule; .source (file or table), .row, .field and .value say where.");
  parse = make_class(m, "ParseError", py::make_tuple(data),
                     "Input could not be parsed (malformed CSV or JSON).");
  option = make_class(m, "OptionError", py::make_tuple(base, py::handle(PyExc_ValueError)),
                      "An option has a bad value; .field names the option.");
  io = make_class(m, "DealstatIOError", py::make_tuple(base, py::handle(PyExc_OSError)),
                  "A file could not be opened or read; .source names it.");

  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const dealstat::Error& e) {
      py::object cls;
      switch (e.code()) {
        case dealstat::ErrorCode::invalid_data: cls = data; break;
        case dealstat::ErrorCode::parse: cls = parse; break;
        case dealstat::ErrorCode::invalid_option: cls = option; break;
        case dealstat::ErrorCode::io: cls = io; break;
        default: cls = base; break;
      }
      const auto& pr = e.problem();
      py::object exc = cls(py::str(e.what()));
      exc.attr("code") = code_name(e.code());
      exc.attr("source") = pr.source;
      exc.attr("row") = pr.row;
      exc.attr("field") = pr.field;
      exc.attr("value") = pr.value;
      exc.attr("message") = pr.message;
      PyErr_SetObject(cls.ptr(), exc.ptr());
    }
  });
}

}  // namespace dealstat_py
