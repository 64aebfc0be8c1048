// Resource-name parsing (common/api/resource_names.cc) against any bytes: no crash, and every name
// a parser accepts is canonical — formatting the parsed ids gives back the very same bytes — so
// one resource never has two names (two Redis keys, two permission targets).
#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"
#include "common/api/resource_names.h"
#include "tests/fuzz/fuzz_check.h"

namespace fieldwork {
namespace {

void CheckChild(absl::string_view name, absl::StatusOr<ChildName> (*parse)(absl::string_view),
                std::string (*format)(absl::string_view, absl::string_view)) {
  const absl::StatusOr<ChildName> parsed = parse(name);
  if (!parsed.ok()) return;
  FUZZ_CHECK(ValidateOrganizationId(parsed->organization).ok());
  FUZZ_CHECK(ValidateId(parsed->id).ok());
  FUZZ_CHECK(format(parsed->organization, parsed->id) == name);
}

}  // namespace
}  // namespace fieldwork

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace fieldwork;  // NOLINT(build/namespaces): one call site per parser below
  const absl::string_view name(reinterpret_cast<const char*>(data), size);
  if (const absl::StatusOr<std::string> organization = ParseOrganizationName(name);
      organization.ok()) {
    FUZZ_CHECK(FormatOrganizationName(*organization) == name);
  }
  CheckChild(name, ParseMemberName, FormatMemberName);
  CheckChild(name, ParseUnitName, FormatUnitName);
  CheckChild(name, ParseVenueName, FormatVenueName);
  CheckChild(name, ParseEventName, FormatEventName);
  CheckChild(name, ParseHoldName, FormatHoldName);
  if (const absl::StatusOr<BusyBlockName> block = ParseBusyBlockName(name); block.ok()) {
    FUZZ_CHECK(FormatBusyBlockName(block->organization, block->member, block->id) == name);
  }
  if (const absl::StatusOr<AttendanceName> record = ParseAttendanceName(name); record.ok()) {
    FUZZ_CHECK(FormatAttendanceName(record->organization, record->event, record->member) == name);
  }
  return 0;
}
