// The columns `-o table` and `-o csv` show for each kind of resource, with times in the
// organization's time zone and enum values without their prefix. Pure.
#ifndef FIELDWORK_TOOLS_FIELDCTL_RESOURCE_TABLES_H_
#define FIELDWORK_TOOLS_FIELDCTL_RESOURCE_TABLES_H_

#include <google/protobuf/repeated_ptr_field.h>

#include <functional>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "fieldwork/attendance/v1/attendance_record.pb.h"
#include "fieldwork/scheduling/v1/busy_block.pb.h"
#include "fieldwork/scheduling/v1/change.pb.h"
#include "fieldwork/scheduling/v1/event.pb.h"
#include "fieldwork/scheduling/v1/hold.pb.h"
#include "fieldwork/scheduling/v1/member.pb.h"
#include "fieldwork/scheduling/v1/organization.pb.h"
#include "fieldwork/scheduling/v1/slot.pb.h"
#include "fieldwork/scheduling/v1/unit.pb.h"
#include "fieldwork/scheduling/v1/venue.pb.h"
#include "tools/fieldctl/table.h"

namespace fieldwork::fieldctl {

template <typename T>
using Items = google::protobuf::RepeatedPtrField<T>;

// A table column: its header and how a row's cell is made.
template <typename T>
struct Column {
  std::string header;
  std::function<std::string(const T&)> cell;
};

template <typename T>
Table MakeTable(const std::vector<Column<T>>& columns, const Items<T>& items) {
  Table table;
  for (const Column<T>& column : columns) table.headers.push_back(column.header);
  for (const T& item : items) {
    std::vector<std::string> row;
    for (const Column<T>& column : columns) row.push_back(column.cell(item));
    table.rows.push_back(std::move(row));
  }
  return table;
}

// One item as a list, for commands that show a single resource.
template <typename T>
Items<T> One(const T& item) {
  Items<T> items;
  *items.Add() = item;
  return items;
}

namespace v1 = ::fieldwork::scheduling::v1;

Table OrganizationsTable(const Items<v1::Organization>& items);
// The columns match the roster CSV that `import members` reads.
Table MembersTable(const Items<v1::Member>& items);
Table UnitsTable(const Items<v1::Unit>& items);
Table VenuesTable(const Items<v1::Venue>& items);
Table EventsTable(const Items<v1::Event>& items, const absl::TimeZone& zone);
Table HoldsTable(const Items<v1::Hold>& items, const absl::TimeZone& zone);
Table BusyBlocksTable(const Items<v1::BusyBlock>& items, const absl::TimeZone& zone);
Table SlotsTable(const Items<v1::SlotCandidate>& items, const absl::TimeZone& zone);
Table ChangesTable(const Items<v1::Change>& items, const absl::TimeZone& zone);
Table AttendanceTable(const Items<fieldwork::attendance::v1::AttendanceRecord>& items,
                      const absl::TimeZone& zone);

}  // namespace fieldwork::fieldctl

#endif  // FIELDWORK_TOOLS_FIELDCTL_RESOURCE_TABLES_H_
