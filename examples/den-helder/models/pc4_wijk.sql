-- Which wijk a four-digit postcode (PC4) lies in, from the BAG: per PC4 the wijk that holds most of
-- its addresses, with that wijk's share of them. A lookup of areas, not of people or businesses: it
-- lets a source that carries only a PC4 (e.g. the Handelsregister, whose postcode lands generalised
-- to PC4) be counted per wijk without linking identifiers across domains. Where a PC4 straddles
-- wijken (aandeel_adressen < 1) its records all count for the dominant wijk: the check on this
-- model warns.
with per_wijk as (
  select postcode as pc4, wijkcode, count(*) as adressen
  from ref('adressen')
  where postcode is not null and wijkcode is not null
  group by postcode, wijkcode
),
gerangschikt as (
  select
    pc4,
    wijkcode,
    adressen,
    sum(adressen) over (partition by pc4) as adressen_pc4,
    row_number() over (partition by pc4 order by adressen desc, wijkcode) as rang
  from per_wijk
)
select pc4, wijkcode, adressen, cast(adressen as double) / adressen_pc4 as aandeel_adressen
from gerangschikt
where rang = 1
