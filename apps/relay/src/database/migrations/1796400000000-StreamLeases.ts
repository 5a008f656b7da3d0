import type { MigrationInterface, QueryRunner } from 'typeorm';

// A streaming transfer is held by the relay replica its bytes enter through (ADR 0008): that
// replica renews stream_lease_until while the stream is live, and pushes it out by the resume
// window when a device drops. A lease that runs out (the replica was killed, or nobody came
// back) lets any replica end the transfer `failed`, so none stays `streaming` forever.
export class StreamLeases1796400000000 implements MigrationInterface {
  name = 'StreamLeases1796400000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE \`transfers\`
        ADD COLUMN \`stream_replica\` varchar(255) CHARACTER SET ascii COLLATE ascii_bin NULL,
        ADD COLUMN \`stream_lease_until\` datetime(3) NULL,
        ADD KEY \`IDX_transfers_status_lease\` (\`status\`, \`stream_lease_until\`)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE \`transfers\`
        DROP KEY \`IDX_transfers_status_lease\`,
        DROP COLUMN \`stream_lease_until\`,
        DROP COLUMN \`stream_replica\``);
  }
}
