// Early-return macros for absl::Status and absl::StatusOr, so fallible steps read as one line each.
#ifndef FIELDWORK_COMMON_STATUS_MACROS_H_
#define FIELDWORK_COMMON_STATUS_MACROS_H_

#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

// Returns the status of `expr` from the enclosing function when it is not OK.
#define FIELDWORK_RETURN_IF_ERROR(expr)                    \
  do {                                                     \
    const ::absl::Status fieldwork_status_ = (expr);       \
    if (!fieldwork_status_.ok()) return fieldwork_status_; \
  } while (false)

#define FIELDWORK_STATUS_MACROS_CONCAT_INNER_(a, b) a##b
#define FIELDWORK_STATUS_MACROS_CONCAT_(a, b) FIELDWORK_STATUS_MACROS_CONCAT_INNER_(a, b)

// Evaluates `expr` (an absl::StatusOr<T>); returns its status when not OK, otherwise moves the
// value into `lhs`, which may be a declaration: FIELDWORK_ASSIGN_OR_RETURN(Principal p,
// Authenticate(c));
#define FIELDWORK_ASSIGN_OR_RETURN(lhs, expr)                                                      \
  FIELDWORK_ASSIGN_OR_RETURN_IMPL_(FIELDWORK_STATUS_MACROS_CONCAT_(fieldwork_statusor_, __LINE__), \
                                   lhs, expr)

#define FIELDWORK_ASSIGN_OR_RETURN_IMPL_(statusor, lhs, expr) \
  auto statusor = (expr);                                     \
  if (!statusor.ok()) return std::move(statusor).status();    \
  lhs = *std::move(statusor)

#endif  // FIELDWORK_COMMON_STATUS_MACROS_H_
