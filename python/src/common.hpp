// Shared helpers of the dealstat._core module: numpy views that borrow C++
// memory without copying (the owner is kept alive by a capsule passed as the
// array's base, pybind11 issue 1042), and the init functions of each area.
#pragma once

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <cstdint>
#include <memory>
#include <utility>
#include <vector>

namespace dealstat_py {

namespace py = pybind11;

//! A capsule that keeps `owner` alive until the last numpy array using it as base is gone.
template <class T>
py::capsule owner_capsule(std::shared_ptr<T> owner) {
  auto* heap = new std::shared_ptr<T>(std::move(owner));
  return py::capsule(heap, [](void* p) { delete static_cast<std::shared_ptr<T>*>(p); });
}

//! A read-only 1-D numpy view of `data[0..n)` whose base is `base` (no copy).
template <class T>
py::array_t<T> borrowed_view(const T* data, std::size_t n, py::handle base) {
  py::array_t<T> a({static_cast<py::ssize_t>(n)}, {static_cast<py::ssize_t>(sizeof(T))}, data, base);
  py::detail::array_proxy(a.ptr())->flags &= ~py::detail::npy_api::NPY_ARRAY_WRITEABLE_;
  return a;
}

//! A numpy array that takes over `v` (moved to the heap, freed with the array; no copy of the data).
template <class T>
py::array_t<T> owned_array(std::vector<T>&& v) {
  auto* heap = new std::vector<T>(std::move(v));
  py::capsule base(heap, [](void* p) { delete static_cast<std::vector<T>*>(p); });
  return py::array_t<T>({static_cast<py::ssize_t>(heap->size())}, {static_cast<py::ssize_t>(sizeof(T))},
                        heap->data(), base);
}

void init_errors(py::module_& m);
void init_dataset(py::module_& m);
void init_columns(py::module_& m);
void init_results(py::module_& m);
void init_arrow(py::module_& m);
void init_reports(py::module_& m);

}  // namespace dealstat_py
