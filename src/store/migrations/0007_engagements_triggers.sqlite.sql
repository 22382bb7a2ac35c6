-- 0007 (SQLite): a concluded engagement is read-only; a concluded test, its
-- population and its sample cannot change.

CREATE TRIGGER engagement_concluded BEFORE UPDATE ON engagement
WHEN OLD.phase = 'concluded'
BEGIN
    SELECT RAISE(ABORT, 'a concluded engagement is read-only');
END;

CREATE TRIGGER eng_test_concluded BEFORE UPDATE ON eng_test
WHEN OLD.status = 'concluded'
BEGIN
    SELECT RAISE(ABORT, 'a concluded test cannot change');
END;

CREATE TRIGGER eng_test_no_delete_concluded BEFORE DELETE ON eng_test
WHEN OLD.status = 'concluded'
BEGIN
    SELECT RAISE(ABORT, 'a concluded test cannot change');
END;

CREATE TRIGGER test_sample_concluded_update BEFORE UPDATE ON test_sample
WHEN (SELECT status FROM eng_test WHERE id = OLD.test_id) = 'concluded'
BEGIN
    SELECT RAISE(ABORT, 'a concluded test cannot change');
END;

CREATE TRIGGER test_sample_concluded_insert BEFORE INSERT ON test_sample
WHEN (SELECT status FROM eng_test WHERE id = NEW.test_id) = 'concluded'
BEGIN
    SELECT RAISE(ABORT, 'a concluded test cannot change');
END;

CREATE TRIGGER test_sample_concluded_delete BEFORE DELETE ON test_sample
WHEN (SELECT status FROM eng_test WHERE id = OLD.test_id) = 'concluded'
BEGIN
    SELECT RAISE(ABORT, 'a concluded test cannot change');
END;

CREATE TRIGGER test_population_concluded_insert BEFORE INSERT ON test_population
WHEN (SELECT status FROM eng_test WHERE id = NEW.test_id) = 'concluded'
BEGIN
    SELECT RAISE(ABORT, 'a concluded test cannot change');
END;

CREATE TRIGGER test_population_concluded_update BEFORE UPDATE ON test_population
WHEN (SELECT status FROM eng_test WHERE id = OLD.test_id) = 'concluded'
BEGIN
    SELECT RAISE(ABORT, 'a concluded test cannot change');
END;

CREATE TRIGGER test_population_concluded_delete BEFORE DELETE ON test_population
WHEN (SELECT status FROM eng_test WHERE id = OLD.test_id) = 'concluded'
BEGIN
    SELECT RAISE(ABORT, 'a concluded test cannot change');
END;
