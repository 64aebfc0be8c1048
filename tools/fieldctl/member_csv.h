// The roster CSV of `fieldctl import members` (the same columns `list members -o csv` prints, so an
// export can be edited and imported back) read into ImportMembers rows, and the server's
// `members[i].field` violations turned back into file lines. Pure.
#ifndef FIELDWORK_TOOLS_FIELDCTL_MEMBER_CSV_H_
#define FIELDWORK_TOOLS_FIELDCTL_MEMBER_CSV_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "fieldwork/scheduling/v1/member.pb.h"

namespace fieldwork::fieldctl {

// Columns (header names in any case, spaces or dashes for underscores, any order): id and
// display_name and role required; status, units (unit ids joined by ";"), phone, affiliation,
// term optional.
struct MemberRows {
  std::vector<fieldwork::scheduling::v1::Member> members;
  std::vector<int> lines;  // the file line of each member, from 1 (the header is line 1)
};

// The members of `csv` for `organization`. INVALID_ARGUMENT naming the file line and column of
// the first bad cell (or the unknown or missing header), so nothing is sent.
absl::StatusOr<MemberRows> ParseMemberCsv(absl::string_view csv, absl::string_view organization);

// "line 5 (display_name): must not be empty" for the server's violation of field
// "members[3].display_name"; other fields are returned as they are.
std::string DescribeRowViolation(const std::string& field, const std::string& description,
                                 const std::vector<int>& lines);

}  // namespace fieldwork::fieldctl

#endif  // FIELDWORK_TOOLS_FIELDCTL_MEMBER_CSV_H_
