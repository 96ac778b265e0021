#----------------------------------------------------------------
# Generated CMake target import file for configuration "Release".
#----------------------------------------------------------------

# Commands may need to know the format version.
set(CMAKE_IMPORT_FILE_VERSION 1)

# Import target "dealstat::dealstat" for configuration "Release"
set_property(TARGET dealstat::dealstat APPEND PROPERTY IMPORTED_CONFIGURATIONS RELEASE)
set_target_properties(dealstat::dealstat PROPERTIES
  IMPORTED_LINK_INTERFACE_LANGUAGES_RELEASE "CXX"
  IMPORTED_LOCATION_RELEASE "${_IMPORT_PREFIX}/lib/libdealstat.a"
  )

list(APPEND _cmake_import_check_targets dealstat::dealstat )
list(APPEND _cmake_import_check_files_for_dealstat::dealstat "${_IMPORT_PREFIX}/lib/libdealstat.a" )

# Commands beyond this point should not need to know the version.
set(CMAKE_IMPORT_FILE_VERSION)
