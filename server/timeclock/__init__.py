"""The time clock: employees check in and out at the desk or from the field app (offline too,
synced like every change, with the position when allowed); days worked and late arrivals
against the working calendar; a manager's corrections with their reason; hours for payroll."""
