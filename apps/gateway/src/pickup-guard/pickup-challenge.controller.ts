import { Controller, Get, Header } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import type { Challenge } from 'altcha-lib';
import { PickupChallenges } from './pickup-challenges.js';

export class PickupChallengeResponse {
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'An ALTCHA v2 challenge ({parameters, signature}); valid for 5 minutes, solvable with altcha-lib',
  })
  challenge: Challenge;
}

@ApiTags('files')
@Controller('files')
export class PickupChallengeController {
  constructor(private readonly challenges: PickupChallenges) {}

  @Get('pickup-challenge')
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: 'A proof-of-work challenge for pickup lookups past the global failure budget' })
  @ApiOkResponse({ type: PickupChallengeResponse })
  async challenge(): Promise<PickupChallengeResponse> {
    return { challenge: await this.challenges.create() };
  }
}
