"""Back-office views fetched from the server (the audit trail, vouchers): online from the
API, offline the last answer kept in the sync state with its time."""
