-- Clean addresses: one row per BAG verblijfsobject, with its buurt and wijk (CBS codes).
select
  verblijfsobject_id,
  postcode,
  gebruiksdoel,
  oppervlakte,
  bouwjaar,
  x_rd,
  y_rd,
  buurtcode,
  'WK' || substr(buurtcode, 3, 6) as wijkcode
from ref('verblijfsobjecten')
