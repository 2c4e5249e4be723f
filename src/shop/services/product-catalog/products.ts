// The shop's ten products. Ids, names, prices, categories and picture file
// names are the demo's (traces, flags and the scenario refer to them, e.g.
// productCatalogFailure targets OLJCESPC7Z); the descriptions are our own.
import type { Product } from '../../grpc/types';

function usd(units: number, nanos: number): Product['priceUsd'] {
  return { currencyCode: 'USD', units, nanos };
}

function product(
  id: string,
  name: string,
  price: Product['priceUsd'],
  categories: string[],
  picture: string,
  description: string,
): Product {
  return { id, name, description, picture, priceUsd: price, categories };
}

export const CATALOG: readonly Product[] = [
  product(
    'OLJCESPC7Z',
    'National Park Foundation Explorascope',
    usd(101, 960_000_000),
    ['telescopes'],
    'NationalParkFoundationExplorascope.jpg',
    'A small refractor on a simple alt-azimuth mount that you aim by hand. ' +
      'Light enough to take on a trip, and enough for the Moon, the bright planets and a few nebulae.',
  ),
  product(
    '66VCHSJNUP',
    'Starsense Explorer Refractor Telescope',
    usd(349, 950_000_000),
    ['telescopes'],
    'StarsenseExplorer.jpg',
    'A beginner telescope with a phone dock: an app recognises the stars in view ' +
      'and tells you which way to move the tube to reach your target.',
  ),
  product(
    '1YMWWN1N4O',
    'Eclipsmart Travel Refractor Telescope',
    usd(129, 950_000_000),
    ['telescopes', 'travel'],
    'EclipsmartTravelRefractorTelescope.jpg',
    'A compact solar telescope with a certified filter over the whole front lens, for watching ' +
      'sunspots and eclipses safely. Packs into a backpack with its tripod and eyepiece.',
  ),
  product(
    'L9ECAV7KIM',
    'Lens Cleaning Kit',
    usd(21, 950_000_000),
    ['accessories'],
    'LensCleaningKit.jpg',
    'A brush and a soft cleaning tip for lifting dust and smudges off lenses and mirrors ' +
      'without scratching them; works on eyepieces, binoculars and cameras alike.',
  ),
  product(
    '2ZYFJ3GM2N',
    'Roof Binoculars',
    usd(209, 950_000_000),
    ['binoculars'],
    'RoofBinoculars.jpg',
    'Slim roof-prism binoculars with low-dispersion glass, sharp from a couple of metres out ' +
      'to the horizon. Made for bird watching, hiking and the stadium.',
  ),
  product(
    '0PUK6V6EV0',
    'Solar System Color Imager',
    usd(175, 0),
    ['accessories', 'telescopes'],
    'SolarSystemColorImager.jpg',
    'A small colour camera that slides into the eyepiece holder, so you can record the ' +
      'planets and the Moon once looking at them is no longer enough.',
  ),
  product(
    'LS4PSXUNUM',
    'Red Flashlight',
    usd(57, 80_000_000),
    ['accessories', 'flashlights'],
    'RedFlashlight.jpg',
    'A red torch that keeps your eyes adapted to the dark, with a hand warmer and a ' +
      'battery pack for your phone built into the same weatherproof case.',
  ),
  product(
    '9SIQT8TOJO',
    'Optical Tube Assembly',
    usd(3599, 0),
    ['accessories', 'telescopes', 'assembly'],
    'OpticalTubeAssembly.jpg',
    'A very fast wide-field astrograph tube for a dedicated astronomy camera: short ' +
      'exposures collect faint galaxies and nebulae, which makes guiding far less demanding.',
  ),
  product(
    '6E92ZMYYFZ',
    'Solar Filter',
    usd(69, 950_000_000),
    ['accessories', 'telescopes'],
    'SolarFilter.jpg',
    'A certified full-aperture filter that fits over the front of an 8-inch telescope, ' +
      'held by straps so it cannot slip off while you observe the Sun.',
  ),
  product(
    'HQTGWGPNH4',
    'The Comet Book',
    usd(0, 990_000_000),
    ['books'],
    'TheCometBook.jpg',
    'A reprint of an illustrated sixteenth-century manuscript on comets and what people of ' +
      'the time believed they foretold; the original is kept in a library in Kassel.',
  ),
];
