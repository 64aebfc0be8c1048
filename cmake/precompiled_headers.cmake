# Precompiled headers for the Debug/Release builds (not the fuzz build, which is clang's own).
# Nearly every source parses the same gRPC, protobuf and Abseil headers; at -O0 that
# parse is about half of a handler's or a test's compile time, and compile time is what bounds a CI
# run on 2 cores. Three headers are precompiled once each and reused by every target:
#   fieldwork_pch       libraries, services and tools (pch.h);
#   fieldwork_test_pch  the test and benchmark binaries (test_pch.h: pch.h plus GoogleTest);
#   fieldwork_protos    the generated code precompiles protos_pch.h itself (built without warnings).
# GCC uses a precompiled header only where the macros its headers read are the same, so the
# holders link the libraries whose macros those headers read (GoogleTest's for the tests), and
# _FILE_OFFSET_BITS=64 (which cpp-httplib's pkg-config adds to some targets and glibc's headers
# read) is set everywhere; it changes nothing on 64-bit Linux. -Winvalid-pch on every user says
# when a header was not used. -DFIELDWORK_PCH=OFF builds without them.
option(FIELDWORK_PCH "Precompile the common third-party headers" ON)
if(NOT FIELDWORK_PCH OR FIELDWORK_FUZZ)
  return()
endif()

set(pch_dir ${PROJECT_SOURCE_DIR}/cmake/pch)
set(pch_deps gRPC::grpc++ protobuf::libprotobuf absl::status absl::statusor absl::strings
             absl::time absl::synchronization Threads::Threads)

add_library(fieldwork_pch OBJECT ${pch_dir}/anchor.cc)
target_link_libraries(fieldwork_pch PRIVATE ${pch_deps})
target_precompile_headers(fieldwork_pch PRIVATE ${pch_dir}/pch.h)

add_library(fieldwork_test_pch OBJECT ${pch_dir}/anchor.cc)
target_link_libraries(fieldwork_test_pch PRIVATE ${pch_deps} GTest::gtest GTest::gmock)
target_precompile_headers(fieldwork_test_pch PRIVATE ${pch_dir}/test_pch.h)

target_precompile_headers(fieldwork_protos PRIVATE ${pch_dir}/protos_pch.h)

# Every C++ target under ${dir} and its subdirectories.
function(fieldwork_collect_targets dir out)
  get_property(targets DIRECTORY ${dir} PROPERTY BUILDSYSTEM_TARGETS)
  get_property(subdirs DIRECTORY ${dir} PROPERTY SUBDIRECTORIES)
  foreach(subdir IN LISTS subdirs)
    fieldwork_collect_targets(${subdir} more)
    list(APPEND targets ${more})
  endforeach()
  set(${out} ${targets} PARENT_SCOPE)
endfunction()

fieldwork_collect_targets(${PROJECT_SOURCE_DIR} all_targets)
foreach(target IN LISTS all_targets)
  get_target_property(type ${target} TYPE)
  if(NOT type MATCHES "^(STATIC_LIBRARY|OBJECT_LIBRARY|EXECUTABLE)$")
    continue()
  endif()
  if(target MATCHES "^fieldwork_(test_)?pch$" OR target STREQUAL "fieldwork_protos")
    continue()
  endif()
  # Generated code of the test-only protos: built like fieldwork_protos, without a holder.
  if(target MATCHES "_protos$")
    target_precompile_headers(${target} PRIVATE ${pch_dir}/protos_pch.h)
    continue()
  endif()
  # A header GCC cannot use (macros differ) is parsed as text instead: slower, so say so.
  target_compile_options(${target} PRIVATE -Winvalid-pch)
  get_target_property(source_dir ${target} SOURCE_DIR)
  if(source_dir MATCHES "^${PROJECT_SOURCE_DIR}/tests/")
    target_link_libraries(${target} PRIVATE GTest::gtest)
    target_precompile_headers(${target} REUSE_FROM fieldwork_test_pch)
  else()
    target_precompile_headers(${target} REUSE_FROM fieldwork_pch)
  endif()
endforeach()
