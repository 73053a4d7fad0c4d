#!/usr/bin/env node
console.log('conveyor');
