-- Police incidents per buurt: the buurt is geocoded at landing from the incident's coordinates (the
-- coordinates themselves never land). Incidents outside the simplified 2014 buurt boundaries have
-- no buurt and count in no area. Only the date, the buurt and the category reach the indicators —
-- not the incident number or the description.
select
  buurtcode,
  'WK' || substr(buurtcode, 3, 6) as wijkcode,
  datum,
  categorie
from ref('incidenten')
