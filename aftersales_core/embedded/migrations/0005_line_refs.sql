-- Keys, not names: a stock move of a case names the form line it moves (the line's ref),
-- so two lines of one product (two deliveries or two lots) keep their own balances.
ALTER TABLE stock_moves ADD COLUMN line_ref TEXT NOT NULL DEFAULT '';
CREATE INDEX stock_moves_case_line ON stock_moves (case_id, line_ref);
