// Placeholder until the stack lands: integration tests get the stack addresses from here.
export default function setup(): void {}
