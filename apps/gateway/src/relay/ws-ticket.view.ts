import { ApiProperty } from '@nestjs/swagger';

/** POST /devices/:id/ws-ticket (api.md § WebSocket): a ticket for `/ws?ticket=`. */
export class WsTicketResponse {
  @ApiProperty({ description: 'Opens /ws once as this device: `/ws?ticket=<ticket>`' }) ticket: string;
  @ApiProperty({ description: 'Seconds until it expires unused (60)' }) expiresIn: number;
}
