-- 0002: indexes for the statistics queries (Pareto, weekly review, monthly report).
CREATE INDEX failure_lines_at ON failure_lines (at);
CREATE INDEX failure_lines_category ON failure_lines (failure_category, quantity, cost_cents);
CREATE INDEX cases_workflow_day ON cases (workflow, opened_day);
CREATE INDEX history_case ON history (case_id);
CREATE INDEX stock_moves_case ON stock_moves (case_id);
CREATE INDEX replaced_parts_at ON replaced_parts (at);
