SELECT c.id, c.recall_id, c.recall_date, c.search_name, c.search_text
FROM (
  (SELECT recall_pk, name_length, recall_date
   FROM (SELECT w.recall_pk, w.name_length, w.recall_date, count(*) OVER () AS matched
         FROM (SELECT w.recall_pk, w.name_length, w.recall_date
               FROM recall_words w
               WHERE w.name_words @@ to_tsquery('simple', $1)
               LIMIT 301) w) counted
   WHERE matched <= 300
   ORDER BY name_length, recall_date DESC, recall_pk
   LIMIT 200)
  UNION ALL
  (SELECT recall_pk, name_length, recall_date
   FROM (SELECT w.recall_pk, w.name_length, w.recall_date, count(*) OVER () AS matched
         FROM (SELECT w.recall_pk, w.name_length, w.recall_date
               FROM recall_words w
               WHERE w.name_words @@ to_tsquery('simple', $2)
               LIMIT 301) w) counted
   WHERE matched <= 300
   ORDER BY name_length, recall_date DESC, recall_pk
   LIMIT 200)
) m
JOIN recalls c ON c.id = m.recall_pk
ORDER BY m.name_length, m.recall_date DESC, m.recall_pk
LIMIT 200;

-- $1 = "graco & (seat | seats)"
-- $2 = "graco & (car | cars)"
