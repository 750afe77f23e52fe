-- Every rating went into an index by counter and time that no query reads any more (the
-- statistics read the daily and hourly counts): on a big table each batch of ratings
-- wrote one of its pages per counter rated, most of the cost of storing a rating there.
DROP INDEX ratings_by_counter_time;
