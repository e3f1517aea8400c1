"""What the plan gives: tables, summary, report and figures, calendar, atomic export."""
