WITH recent AS MATERIALIZED (SELECT w.recall_pk, w.recall_date FROM (SELECT recall_pk, recall_date, name_words FROM recall_words WHERE recall_date >= $5 ORDER BY recall_date DESC, recall_pk ASC LIMIT 3000) w JOIN recalls r ON r.id = w.recall_pk WHERE r.agency_code = ANY($2) AND (r.country = $3 OR jsonb_exists(r.affected_countries, $4)) AND w.name_words @@ to_tsquery('simple', $1) ORDER BY w.recall_date DESC, w.recall_pk ASC LIMIT 200),
boundary AS MATERIALIZED (SELECT recall_date, recall_pk FROM recall_words WHERE recall_date >= $5 ORDER BY recall_date DESC, recall_pk ASC OFFSET 2999 LIMIT 1),
estimate AS MATERIALIZED (
  SELECT count(*) * (SELECT reltuples FROM pg_class WHERE oid = 'recall_words'::regclass) / 3000 > 2000
         AND EXISTS (SELECT 1 FROM recent) AS common
  FROM (SELECT 1 FROM (SELECT recall_pk, recall_date, name_words FROM recall_words WHERE recall_date >= $5 ORDER BY recall_date DESC, recall_pk ASC LIMIT 3000) w WHERE w.name_words @@ to_tsquery('simple', $1)) counted)
SELECT c.id, c.recall_id, c.recall_date, c.search_name, c.search_text
FROM (
  (SELECT recall_pk, recall_date FROM recent ORDER BY recall_date DESC, recall_pk ASC)
  UNION ALL
  (SELECT w.recall_pk, w.recall_date FROM recall_words w JOIN recalls r ON r.id = w.recall_pk WHERE r.agency_code = ANY($2) AND (r.country = $3 OR jsonb_exists(r.affected_countries, $4)) AND NOT (SELECT common FROM estimate) AND (w.recall_date + 0, -w.recall_pk) < (SELECT recall_date, -recall_pk FROM boundary) AND w.name_words @@ to_tsquery('simple', $1) ORDER BY w.recall_date + 0 DESC, w.recall_pk ASC LIMIT 200)
  UNION ALL
  (SELECT w.recall_pk, w.recall_date FROM (SELECT recall_pk, recall_date, name_words FROM recall_words WHERE recall_date >= $6 ORDER BY recall_date DESC, recall_pk ASC OFFSET 0) w JOIN recalls r ON r.id = w.recall_pk WHERE r.agency_code = ANY($2) AND (r.country = $3 OR jsonb_exists(r.affected_countries, $4)) AND (SELECT common FROM estimate) AND (w.recall_date + 0, -w.recall_pk) < (SELECT recall_date, -recall_pk FROM boundary) AND w.name_words @@ to_tsquery('simple', $1) ORDER BY w.recall_date DESC, w.recall_pk ASC LIMIT 200)
  UNION ALL
  (SELECT w.recall_pk, w.recall_date FROM recall_words w JOIN recalls r ON r.id = w.recall_pk WHERE r.agency_code = ANY($2) AND (r.country = $3 OR jsonb_exists(r.affected_countries, $4)) AND (SELECT common FROM estimate) AND (w.recall_date + 0, -w.recall_pk) < (SELECT recall_date, -recall_pk FROM boundary) AND w.name_words @@ (to_tsquery('simple', $1) && $7::tsquery) ORDER BY w.recall_date + 0 DESC, w.recall_pk ASC LIMIT 200)
  UNION ALL
  (SELECT w.recall_pk, w.recall_date FROM recall_words w JOIN recalls r ON r.id = w.recall_pk WHERE r.agency_code = ANY($2) AND (r.country = $3 OR jsonb_exists(r.affected_countries, $4)) AND (SELECT common FROM estimate) AND (w.recall_date + 0, -w.recall_pk) < (SELECT recall_date, -recall_pk FROM boundary) AND w.name_words @@ (to_tsquery('simple', $1) && $8::tsquery) ORDER BY w.recall_date + 0 DESC, w.recall_pk ASC LIMIT 200)
  UNION ALL
  (SELECT w.recall_pk, w.recall_date FROM recall_words w JOIN recalls r ON r.id = w.recall_pk WHERE r.agency_code = ANY($2) AND (r.country = $3 OR jsonb_exists(r.affected_countries, $4)) AND (SELECT common FROM estimate) AND (w.recall_date + 0, -w.recall_pk) < (SELECT recall_date, -recall_pk FROM boundary) AND w.name_words @@ (to_tsquery('simple', $1) && $9::tsquery) ORDER BY w.recall_date + 0 DESC, w.recall_pk ASC LIMIT 200)
  UNION ALL
  (SELECT w.recall_pk, w.recall_date FROM recall_words w JOIN recalls r ON r.id = w.recall_pk WHERE r.agency_code = ANY($2) AND (r.country = $3 OR jsonb_exists(r.affected_countries, $4)) AND (SELECT common FROM estimate) AND (w.recall_date + 0, -w.recall_pk) < (SELECT recall_date, -recall_pk FROM boundary) AND w.name_words @@ (to_tsquery('simple', $1) && $10::tsquery) ORDER BY w.recall_date + 0 DESC, w.recall_pk ASC LIMIT 200)
  UNION ALL
  (SELECT w.recall_pk, w.recall_date FROM recall_words w JOIN recalls r ON r.id = w.recall_pk WHERE r.agency_code = ANY($2) AND (r.country = $3 OR jsonb_exists(r.affected_countries, $4)) AND (SELECT common FROM estimate) AND (w.recall_date + 0, -w.recall_pk) < (SELECT recall_date, -recall_pk FROM boundary) AND w.name_words @@ (to_tsquery('simple', $1) && $11::tsquery) ORDER BY w.recall_date + 0 DESC, w.recall_pk ASC LIMIT 200)
  UNION ALL
  (SELECT w.recall_pk, w.recall_date FROM recall_words w JOIN recalls r ON r.id = w.recall_pk WHERE r.agency_code = ANY($2) AND (r.country = $3 OR jsonb_exists(r.affected_countries, $4)) AND (SELECT common FROM estimate) AND (w.recall_date + 0, -w.recall_pk) < (SELECT recall_date, -recall_pk FROM boundary) AND w.name_words @@ (to_tsquery('simple', $1) && $12::tsquery) ORDER BY w.recall_date + 0 DESC, w.recall_pk ASC LIMIT 200)
  UNION ALL
  (SELECT w.recall_pk, w.recall_date FROM recall_words w JOIN recalls r ON r.id = w.recall_pk WHERE r.agency_code = ANY($2) AND (r.country = $3 OR jsonb_exists(r.affected_countries, $4)) AND (SELECT common FROM estimate) AND (w.recall_date + 0, -w.recall_pk) < (SELECT recall_date, -recall_pk FROM boundary) AND w.name_words @@ (to_tsquery('simple', $1) && $13::tsquery) ORDER BY w.recall_date + 0 DESC, w.recall_pk ASC LIMIT 200)
  UNION ALL
  (SELECT w.recall_pk, w.recall_date FROM recall_words w JOIN recalls r ON r.id = w.recall_pk WHERE r.agency_code = ANY($2) AND (r.country = $3 OR jsonb_exists(r.affected_countries, $4)) AND (SELECT common FROM estimate) AND (w.recall_date + 0, -w.recall_pk) < (SELECT recall_date, -recall_pk FROM boundary) AND w.name_words @@ (to_tsquery('simple', $1) && $14::tsquery) ORDER BY w.recall_date + 0 DESC, w.recall_pk ASC LIMIT 200)
  UNION ALL
  (SELECT w.recall_pk, w.recall_date FROM recall_words w JOIN recalls r ON r.id = w.recall_pk WHERE r.agency_code = ANY($2) AND (r.country = $3 OR jsonb_exists(r.affected_countries, $4)) AND (SELECT common FROM estimate) AND (w.recall_date + 0, -w.recall_pk) < (SELECT recall_date, -recall_pk FROM boundary) AND w.recall_date + 0 < $15 AND w.name_words @@ to_tsquery('simple', $1) ORDER BY w.recall_date + 0 DESC, w.recall_pk ASC LIMIT 200)
  LIMIT 200
) m
JOIN recalls c ON c.id = m.recall_pk;

-- $1 = "(graco | (gracocar | gracocars | gracocares)) & (seat | seats | ((child | childs | childes) & (restraint | restraints | restraintes)) | ((child | childs | childes) & (car | cars | cares) & (seat | seats | seates)) | ((baby | babys | babyes) & (seat | seats | seates)) | ((siege | sieges | siegees) &... (1183 characters)
-- $2 = ["CPSC","HC"]
-- $3 = "CA"
-- $4 = "CA"
-- $5 = "2019-01-01"
-- $6 = "2027-01-01"
-- $7 = "'~2026'"
-- $8 = "'~2025'"
-- $9 = "'~2024'"
-- $10 = "'~2023'"
-- $11 = "'~2022'"
-- $12 = "'~2021'"
-- $13 = "'~2020'"
-- $14 = "'~2019'"
-- $15 = "2019-01-01"
