-- Wmo clients: persons with at least one running maatwerkvoorziening, at their address (merged
-- periods: a client with three provisions counts once on any day; see zorgtrajecten).
select buurtcode, wijkcode, geboortejaar, datum_van, datum_tot
from ref('zorgtrajecten')
where regeling = 'wmo'
