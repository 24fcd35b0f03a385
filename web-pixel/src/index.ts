// Entry point the Shopify CLI bundles; the behaviour lives in pixel.ts (unit-tested without Shopify).
import { register } from '@shopify/web-pixels-extension';
import { createPixel } from './pixel';

register(createPixel);
