-- Reports about the public space (meldingen openbare ruimte) per buurt, geocoded at landing from
-- their RD coordinates (which never land).
select
  buurtcode,
  'WK' || substr(buurtcode, 3, 6) as wijkcode,
  datum,
  categorie,
  status
from ref('meldingen_openbare_ruimte')
