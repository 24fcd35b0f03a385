// Entry point the Shopify CLI bundles; the behaviour lives in pixel.js (unit-tested without Shopify).
import { register } from '@shopify/web-pixels-extension';
import { createPixel } from './pixel.js';

register(createPixel);
