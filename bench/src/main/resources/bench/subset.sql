-- Indicator subset used to compare PHM Engine (Spark SQL) with DuckDB over the same CSV extracts.
-- Written in the SQL both engines accept. Base views (all columns as text) are created by the harness:
-- patients, practices, imd, events, spells, esp. ${RUN_DATE} and ${YEAR_AGO} and ${SEASON_START} are replaced.
-- Note: no contract validation/quarantine here (the nightly job applies it), so figures can differ slightly.
CREATE OR REPLACE TEMP VIEW pop AS
SELECT p.nhs_number, pr.pcn_code,
       TRY_CAST(FLOOR((TRY_CAST(i.imd_decile AS INT) + 1) / 2) AS INT) AS imd_quintile,
       (year(DATE '${RUN_DATE}') - year(TRY_CAST(p.date_of_birth AS DATE)))
         - CASE WHEN month(TRY_CAST(p.date_of_birth AS DATE)) * 100 + day(TRY_CAST(p.date_of_birth AS DATE))
                     > month(DATE '${RUN_DATE}') * 100 + day(DATE '${RUN_DATE}') THEN 1 ELSE 0 END AS age
FROM patients p
JOIN practices pr ON p.practice_code = pr.practice_code
LEFT JOIN imd i ON p.lsoa_code = i.lsoa_code
WHERE p.registration_end IS NULL AND p.date_of_death IS NULL;

CREATE OR REPLACE TEMP VIEW pop_band AS
SELECT pop.*, TRY_CAST(e.weight AS DOUBLE) AS weight, TRY_CAST(e.band_index AS INT) AS band
FROM pop JOIN esp e ON pop.age BETWEEN TRY_CAST(e.min_age AS INT) AND TRY_CAST(e.max_age AS INT);

-- 1. registered population by PCN
SELECT pcn_code, COUNT(*) AS registered FROM pop GROUP BY pcn_code ORDER BY pcn_code;

-- 2. flu vaccination uptake, 65 and over, this season, by PCN and IMD quintile
SELECT d.pcn_code, d.imd_quintile, COUNT(*) AS denominator, SUM(CASE WHEN f.nhs_number IS NULL THEN 0 ELSE 1 END) AS numerator,
       SUM(CASE WHEN f.nhs_number IS NULL THEN 0 ELSE 1 END) * 1.0 / COUNT(*) AS proportion
FROM pop d
LEFT JOIN (SELECT DISTINCT nhs_number FROM events
           WHERE code = '86198006' AND TRY_CAST(event_date AS DATE) BETWEEN DATE '${SEASON_START}' AND DATE '${RUN_DATE}') f
  ON d.nhs_number = f.nhs_number
WHERE d.age >= 65
GROUP BY d.pcn_code, d.imd_quintile ORDER BY d.pcn_code, d.imd_quintile;

-- 3. emergency admissions in 12 months per 100,000, directly standardised to the ESP2013, by PCN and IMD quintile
SELECT pcn_code, imd_quintile, SUM(admissions) AS admissions, SUM(population) AS population,
       100000.0 * SUM(weight * admissions * 1.0 / population) / SUM(weight) AS dsr
FROM (
  SELECT b.pcn_code, b.imd_quintile, b.band, MAX(b.weight) AS weight, COUNT(*) AS population,
         SUM(COALESCE(a.n, 0)) AS admissions
  FROM pop_band b
  LEFT JOIN (SELECT nhs_number, COUNT(*) AS n FROM spells
             WHERE admission_method LIKE '2%'
               AND TRY_CAST(admission_date AS DATE) > DATE '${YEAR_AGO}' AND TRY_CAST(admission_date AS DATE) <= DATE '${RUN_DATE}'
             GROUP BY nhs_number) a ON b.nhs_number = a.nhs_number
  GROUP BY b.pcn_code, b.imd_quintile, b.band) s
GROUP BY pcn_code, imd_quintile ORDER BY pcn_code, imd_quintile;
